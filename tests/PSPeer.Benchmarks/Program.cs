using System;
using System.Threading.Tasks;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Printed figures, never assertions: `dotnet run -c Release --project tests/PSPeer.Benchmarks -- [index|transfer|torrent|swarm|gnutella|gnutella-live|gnutella-links|http-memory|hostile|tracker|datagrams|udp-tracker|nat|chord|all]`.
    /// </summary>
    static class Program
    {
        static async Task<int> Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "all";
            if (what == "loader") return await IndexLoader.RunAsync(args);
            if (what == "search-clients") return await IndexSearchClients.ChildAsync(args);
            if (what == "bt-seed" || what == "bt-leech") return await BtClientCommand.RunAsync(args);
            if (what == "hostile-target") return await HostileKit.TargetAsync(args);
            if (what == "hostile-attack") return await HostileKit.AttackAsync(args);
            Console.WriteLine($"# PSPeer benchmarks on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}");
            switch (what)
            {
                case "index": await IndexBenchmark.RunAsync(args); return 0;
                case "transfer": return await TransferBenchmark.RunAsync(args);
                case "torrent": return await TorrentCreateBenchmark.RunAsync(args);
                case "swarm": return await SwarmBenchmark.RunAsync(args);
                case "gnutella": return await GnutellaBenchmark.RunAsync(args);
                case "gnutella-live": return await GnutellaLiveBenchmark.RunAsync(args);
                case "http-memory": return await HttpMemoryBenchmark.RunAsync(args);
                case "hostile": return await HostileKit.RunAsync(args);
                case "gnutella-links": return await GnutellaLinkMemoryBenchmark.RunAsync(args);
                case "tracker": return await TrackerBenchmark.RunAsync(args);
                case "datagrams": return DatagramBenchmark.Run(args);
                case "udp-tracker": return await UdpTrackerBenchmark.RunAsync(args);
                case "nat": return NatBenchmark.Run(args);
                case "chord": return await ChordBenchmark.RunAsync(args);
                case "all":
                    await IndexBenchmark.RunAsync(args);
                    return await TransferBenchmark.RunAsync(args);
                default:
                    Console.Error.WriteLine("usage: PSPeer.Benchmarks [index|transfer|torrent|swarm|gnutella|gnutella-live|gnutella-links|http-memory|hostile|tracker|datagrams|udp-tracker|nat|chord|all] [--files N] [--peers N] [--size-mib N] [--runs N]");
                    return 2;
            }
        }

        internal static int Option(string[] args, string name, int fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
        }

        internal static string Text(string[] args, string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
    }
}
