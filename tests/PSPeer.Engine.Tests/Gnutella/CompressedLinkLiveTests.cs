using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;
using PSPeer.Engine.Tests.Support;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Two PSPeer servents on loopback sockets, with link compression on one side, the other, or both.</summary>
    public class CompressedLinkLiveTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

        [Theory]
        [InlineData(true, true)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public async Task Servents_exchange_a_query_and_its_hit_over_compressed_or_plain_live_links(bool holderCompresses, bool searcherCompresses)
        {
            using var shared = new TempFolder();
            using var dest = new TempFolder();
            var song = TempFolder.RandomBytes(200_000, 41);
            shared.Write("The Beatles - Hey Jude.mp3", song);
            var events = new ConcurrentQueue<PeerEvent>();
            // Live servents compress by default; "false" here is a servent that does not (an old one, or told not to).
            var holder = new GnutellaServent(LiveRuntime.Loopback, "holder", new GnutellaOptions
                { AutoConnect = false, SharedPath = shared.Path, CompressLinks = holderCompresses ? (bool?)null : false });
            var searcher = new GnutellaServent(LiveRuntime.Loopback, "searcher", new GnutellaOptions
                { AutoConnect = false, CompressLinks = searcherCompresses ? (bool?)null : false });
            holder.EventsInline.Subscribe(events.Enqueue);     // in step: checked right after the link is up
            searcher.EventsInline.Subscribe(events.Enqueue);
            try
            {
                await holder.StartAsync().WaitAsync(Step);
                await searcher.StartAsync().WaitAsync(Step);
                Assert.Equal(holderCompresses, holder.CompressionEnabled);
                await searcher.ConnectAsync(HostPort.Parse(holder.EndPoint)).WaitAsync(Step);
                await Poll.UntilAsync(() => holder.ConnectionCount == 1 && searcher.ConnectionCount == 1, "the link");

                bool both = holderCompresses && searcherCompresses;
                foreach (var name in new[] { "holder", "searcher" })
                {
                    var connected = events.Single(e => e.Type == PeerEventTypes.Connected && e.Node == name);
                    Assert.Equal(both, connected["SendsCompressed"]);
                    Assert.Equal(both, connected["ReceivesCompressed"]);
                }
                Assert.Equal(both ? 1 : 0, holder.CompressedLinkCount);

                var hits = new List<SearchHit>();
                await searcher.SearchAsync("hey jude", new SearchOptions { MaxResults = 1, Timeout = TimeSpan.FromSeconds(10) }, h => { lock (hits) hits.Add(h); }).WaitAsync(Step);
                var hit = Assert.Single(hits);
                Assert.Equal("The Beatles - Hey Jude.mp3", hit.Name);
                var result = await searcher.DownloadAsync(hit, dest.Path, null).WaitAsync(Step);
                Assert.Equal(song, File.ReadAllBytes(result.Path));

                if (both)
                {
                    // The query went out deflated and came in inflated; the hit the other way.
                    var (sentPlain, sentWire, _, _) = searcher.Links.Single().CompressionCounts;
                    var (_, _, receivedWire, receivedPlain) = holder.Links.Single().CompressionCounts;
                    Assert.True(sentPlain > 0 && sentWire > 0);
                    Assert.Equal(sentWire, receivedWire);
                    Assert.Equal(sentPlain, receivedPlain);
                    var back = holder.Links.Single().CompressionCounts;
                    Assert.True(back.sentPlain > 0, "the hit went back compressed");
                    Assert.Equal(back.sentPlain, searcher.Links.Single().CompressionCounts.receivedPlain);

                    // A quiet link gives its compressor back (the maintenance round asks twice: first it notes the
                    // traffic, then it frees); the next message starts a new compressor mid-stream, which the other
                    // side's inflater reads on without noticing.
                    var link = searcher.Links.Single();
                    link.ReleaseCompressorIfIdle();
                    Assert.True(link.ReleaseCompressorIfIdle());
                    Assert.False(link.ReleaseCompressorIfIdle());   // nothing left to free
                    hits.Clear();
                    await searcher.SearchAsync("hey jude", new SearchOptions { MaxResults = 1, Timeout = TimeSpan.FromSeconds(10) }, h => { lock (hits) hits.Add(h); }).WaitAsync(Step);
                    Assert.Single(hits);
                    Assert.Equal(1, holder.ConnectionCount);
                }
                Assert.DoesNotContain(events, e => e.Type == PeerEventTypes.MalformedMessage);
            }
            finally
            {
                await searcher.StopAsync().WaitAsync(Step);
                await holder.StopAsync().WaitAsync(Step);
            }
        }
    }
}
