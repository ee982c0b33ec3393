using BenchmarkDotNet.Running;
using ChatLoad.LoadEngine.Benchmarks;

// "measure [seconds] [rates]" prints engine figures directly; anything else goes to BenchmarkDotNet
// (e.g. --filter '*RecordingBenchmarks*').
if (args.Length > 0 && args[0] == "measure") return await EngineMeasurements.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(RecordingBenchmarks).Assembly).Run(args);
return 0;
