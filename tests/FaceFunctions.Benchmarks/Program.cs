using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Every class with [Benchmark] methods in this assembly; pick with --filter, e.g. --filter '*Nms*'.
// BenchmarkDotNet builds a separate project per run; the default two-minute limit is too short on a
// shared two-core machine.
// Measurements that are not timings (docs/reliability.md): write the hostile-input files, write the photos the
// memory estimate was fitted on, and bytes per megapixel of smooth pictures. And one that times a whole path, not a
// kernel (docs/scale.md): photos per minute through the scan's queues with in-process consumers.
if (args is ["write-hostile", var directory])
{
    return FaceFunctions.Benchmarks.HostileInputs.Write(directory);
}

if (args is ["write-memory", var memoryDirectory])
{
    return FaceFunctions.Benchmarks.MemoryInputs.Write(memoryDirectory);
}

if (args is ["bytes-per-megapixel"])
{
    return FaceFunctions.Benchmarks.HostileInputs.BytesPerMegapixel();
}

if (args is ["queue-consumers", var consumers, var copies, .. var files])
{
    return await FaceFunctions.Benchmarks.QueueConsumers.RunAsync(
        int.Parse(consumers, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(copies, System.Globalization.CultureInfo.InvariantCulture),
        files);
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
