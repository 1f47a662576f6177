using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Every class with [Benchmark] methods in this assembly; pick with --filter, e.g. --filter '*Nms*'.
// BenchmarkDotNet builds a separate project per run; the default two-minute limit is too short on a
// shared two-core machine.
// Two measurements that are not timings (docs/reliability.md): write the hostile-input files, and bytes per
// megapixel of smooth pictures.
if (args is ["write-hostile", var directory])
{
    return FaceFunctions.Benchmarks.HostileInputs.Write(directory);
}

if (args is ["bytes-per-megapixel"])
{
    return FaceFunctions.Benchmarks.HostileInputs.BytesPerMegapixel();
}

// The load run of docs/reliability.md ("Load"): 1,000 photos through the function app's processor against Azurite.
if (args is [FaceFunctions.Benchmarks.Load.LoadCommand.Name, .. var loadArguments])
{
    return await FaceFunctions.Benchmarks.Load.LoadCommand.RunAsync(loadArguments);
}

if (args is [FaceFunctions.Benchmarks.Load.LoadCommand.GenerateName, .. var generateArguments])
{
    return FaceFunctions.Benchmarks.Load.LoadCommand.Generate(generateArguments);
}

var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
