using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A servent bound to every address advertises its external address in QueryHits, and is downloaded from there.</summary>
    public class GnutellaAddressTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task A_wildcard_bound_servent_answers_with_its_external_address_and_serves_from_it()
        {
            using var shared = new TempFolder();
            using var dest = new TempFolder();
            byte[] jude = TempFolder.RandomBytes(50_000, 9);
            shared.Write("The Beatles - Hey Jude.mp3", jude);
            // Bound to 0.0.0.0, told to say 127.0.0.44: reachable there as on every other local address.
            var sharer = new GnutellaServent(new LiveRuntime("0.0.0.0", "127.0.0.44"), "sharer",
                new GnutellaOptions { Role = GnutellaRole.Ultrapeer, Port = 0, SharedPath = shared.Path });
            var asker = new GnutellaServent(new LiveRuntime("127.0.0.45"), "asker", new GnutellaOptions { Role = GnutellaRole.Ultrapeer, Port = 0 });
            try
            {
                await sharer.StartAsync().WaitAsync(Step);
                await asker.StartAsync().WaitAsync(Step);
                Assert.StartsWith("127.0.0.44:", sharer.EndPoint);
                await asker.ConnectAsync(HostPort.Parse(sharer.EndPoint)).WaitAsync(Step);
                var hits = new List<SearchHit>();
                await asker.SearchAsync("Hey Jude", new SearchOptions { Ttl = 2, MaxResults = 1, Timeout = TimeSpan.FromSeconds(5) }, h => { lock (hits) hits.Add(h); }).WaitAsync(Step);
                var hit = Assert.Single(hits);
                Assert.Equal(sharer.EndPoint, hit.Source);
                var result = await asker.DownloadAsync(hit, dest.Path, null).WaitAsync(Step);
                Assert.True(result.Verified);
                Assert.Equal(jude, File.ReadAllBytes(result.Path));
                // The asker dialled from its own address: the sharer's link names 127.0.0.45.
                Assert.Contains(sharer.Neighbors, n => n.StartsWith("127.0.0.45:", StringComparison.Ordinal));
            }
            finally
            {
                await asker.StopAsync();
                await sharer.StopAsync();
            }
        }
    }
}
