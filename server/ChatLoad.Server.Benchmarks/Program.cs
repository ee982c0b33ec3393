using BenchmarkDotNet.Running;
using ChatLoad.Server.Benchmarks;

// The server's hot path, one stage per benchmark class (see the README's performance section), e.g.
//   dotnet run -c Release --project server/ChatLoad.Server.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args);
