using System;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// HTTP over connections someone else opened: a server handed an accepted connection whose first bytes were
    /// already read (a shared port that sniffs the protocol), and a download over a connection the source opened to
    /// us (a Gnutella GIV). Both sides in one simulation.
    /// </summary>
    public class HttpOverAcceptedConnectionTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        static T Run<T>(Simulation sim, Func<Task<T>> work)
        {
            var task = sim.Spawn(work);
            Assert.True(sim.RunUntilCompleted(task, Limit));
            return task.GetAwaiter().GetResult();
        }

        [Fact]
        public void A_server_serves_a_sniffed_connection_and_a_download_runs_over_a_connection_the_source_opened()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 4 });
            var source = sim.AddHost("source");
            var fetcher = sim.AddHost("fetcher");
            var bytes = new byte[70_000];
            new Random(4).NextBytes(bytes);
            source.MemoryStorage.WriteFile("/share/Hey Jude.mp3", bytes);
            var folder = new SharedFolder(source, "/share");
            Run(sim, () => folder.ScanAsync());
            var server = new HttpFileServer(source, folder, null);   // never started: it only serves what it is handed
            var file = folder.Files[0];

            var result = Run(sim, async () =>
            {
                // The fetcher listens; the source connects to it (as a pushed servent would) and hands the
                // connection to its HTTP server once it has read the first bytes of the request.
                var listener = await fetcher.Transport.ListenAsync(7000);
                var accepted = listener.AcceptAsync();
                var outgoing = await source.Transport.ConnectAsync(fetcher.HostAddress, 7000);
                var incoming = await accepted;
                var serving = ServeAfterSniffAsync(server, outgoing);
                var hit = new SearchHit(file.Name, file.Size, file.ContentHash, source.HostAddress + ":1", file.Index, "source", 1, TimeSpan.Zero);
                var downloaded = await HttpDownloader.DownloadOverAsync(fetcher, hit, incoming, null, "/downloads", false, null);
                await serving;
                return downloaded;
            });
            Assert.True(result.Verified);
            Assert.Equal(bytes, fetcher.MemoryStorage.ReadAllBytes(result.Path));
        }

        static async Task ServeAfterSniffAsync(HttpFileServer server, IConnection connection)
        {
            var first = new byte[4];
            int got = 0;
            while (got < 4) got += await connection.Stream.ReadAsync(first, got, 4 - got);
            Assert.Equal("GET ", Encoding.ASCII.GetString(first));
            await server.ServeAsync(connection, first);
        }
    }
}
