using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Every class with [Benchmark] methods in this assembly; pick with --filter, e.g. --filter '*Nms*'.
// BenchmarkDotNet builds a separate project per run; the default two-minute limit is too short on a
// shared two-core machine.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
