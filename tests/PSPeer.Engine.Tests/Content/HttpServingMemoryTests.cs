using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Napster;
using Xunit;
using Xunit.Abstractions;
using PSPeer.Engine.Tests.Support;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// What idle and downloading connections cost the HTTP server's managed heap. Alone in the memory collection, so
    /// other tests' allocations stay out of the figures. Bounds, not times: each bound is about twice what this build
    /// measures, and under what the build before the admission work needed (two 512 KiB buffers per download, an 8 KiB
    /// head buffer per idle connection, no cap on downloads).
    /// </summary>
    [Collection(MemoryMeasurementCollection.Name)]
    public class HttpServingMemoryTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
        readonly ITestOutputHelper _output;

        public HttpServingMemoryTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task Idle_and_downloading_connections_cost_a_bounded_few_kilobytes_and_downloads_are_capped()
        {
            using var root = new TempFolder();
            root.Write("big.bin", TempFolder.RandomBytes(16 << 20, 8));
            var folder = new SharedFolder(LiveRuntime.Loopback.Storage, root.Path, new HashCache());
            await folder.ScanAsync().WaitAsync(Timeout);
            var server = new HttpFileServer(LiveRuntime.Loopback, folder, null)
            {
                Limits = new ConnectionLimits { MaxConnections = 1000, MaxConnectionsPerAddress = 1000, MaxUploads = 16, MinUploadRate = 0 },
            };
            await server.StartAsync(0).WaitAsync(Timeout);
            var clients = new List<HttpTestClient>();
            try
            {
                string target = "/get/" + folder.Files[0].Index + "/big.bin";
                long baseline = ManagedHeap.Settled();
                for (int i = 0; i < 200; i++) clients.Add(await HttpTestClient.ConnectAsync(server.EndPoint, "127.0.0." + (2 + i % 10)));
                await Poll.UntilAsync(() => server.ConnectionCount == 200, "200 idle connections");
                double perIdle = (ManagedHeap.Settled() - baseline) / 200.0;
                _output.WriteLine($"idle connection: {perIdle / 1024:F1} KiB of managed heap");
                Assert.True(perIdle < 8 * 1024, $"an idle connection costs {perIdle:F0} bytes");
                foreach (var c in clients) c.Dispose();
                clients.Clear();
                await Poll.UntilAsync(() => server.ConnectionCount == 0, "the idle connections to close");

                baseline = ManagedHeap.Settled();
                for (int i = 0; i < 16; i++)
                {
                    var c = await HttpTestClient.ConnectAsync(server.EndPoint, "127.0.0." + (2 + i % 10), receiveBuffer: 4096);
                    clients.Add(c);
                    await c.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
                    Assert.Equal(200, (await c.ReadResponseAsync(head: true)).Status);
                }
                await Poll.UntilAsync(() => server.UploadCount == 16, "16 downloads");
                double perDownload = (ManagedHeap.Settled() - baseline) / 16.0;
                _output.WriteLine($"downloading connection: {perDownload / 1024:F1} KiB of managed heap");
                Assert.True(perDownload < 256 * 1024, $"a downloading connection costs {perDownload:F0} bytes");

                // Fifty more readers that would each hold buffers: told 503, they cost next to nothing.
                long before = ManagedHeap.Settled();
                for (int i = 0; i < 50; i++)
                {
                    var c = await HttpTestClient.ConnectAsync(server.EndPoint, "127.0.0." + (20 + i % 10), receiveBuffer: 4096);
                    clients.Add(c);
                    await c.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
                    Assert.Equal(503, (await c.ReadResponseAsync()).Status);
                }
                long extra = ManagedHeap.Settled() - before;
                _output.WriteLine($"50 refused downloads: {extra / 1024.0:F1} KiB of managed heap");
                Assert.True(extra < 2 << 20, $"50 refused downloads cost {extra} bytes");
                Assert.Equal(16, server.UploadCount);
            }
            finally
            {
                foreach (var c in clients) c.Dispose();
                await server.StopAsync().WaitAsync(Timeout);
            }
        }
    }
}
