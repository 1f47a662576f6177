using BenchmarkDotNet.Running;

// Every class with [Benchmark] methods in this assembly; pick with --filter, e.g. --filter '*Nms*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
