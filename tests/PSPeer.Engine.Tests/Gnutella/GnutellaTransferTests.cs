using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Downloads in a simulation: plain HTTP GET from the servent's port, and Push + GIV from a firewalled one.</summary>
    public class GnutellaTransferTests
    {
        const string FileName = "secret plans.pdf";

        [Fact]
        public void A_hit_downloads_over_http_from_the_answering_servent_port()
        {
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher");
            var middle = world.Add("middle");
            var holder = world.Add("holder", files: FileName);
            world.Link(searcher, middle);
            world.Link(middle, holder);
            var hit = Assert.Single(world.Search(searcher, "secret", 3));
            Assert.False(hit.NeedsPush);
            Assert.Equal(world.Address(holder).ToString(), hit.Source);

            var result = world.Run(() => searcher.DownloadAsync(hit, "/downloads", null));
            Assert.True(result.Verified);
            Assert.Equal(world.Hosts[holder].MemoryStorage.ReadAllBytes("/share/" + FileName), world.Hosts[searcher].MemoryStorage.ReadAllBytes(result.Path));
        }

        [Fact]
        public void A_firewalled_servent_is_reached_by_push_and_serves_over_its_giv_connection()
        {
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher");
            var middle = world.Add("middle");
            var firewalled = world.Add("firewalled", GnutellaRole.Leaf, o => o.Firewalled = true, FileName);
            world.Link(searcher, middle);
            world.Link(firewalled, middle);
            world.Settle(2);
            var hit = Assert.Single(world.Search(searcher, "secret", 3));
            Assert.True(hit.NeedsPush);
            Assert.Equal(firewalled.ServentId.ToString(), hit.ServentId);

            var result = world.Run(() => searcher.DownloadAsync(hit, "/downloads", null));
            Assert.True(result.Verified);
            Assert.Equal(world.Hosts[firewalled].MemoryStorage.ReadAllBytes("/share/" + FileName), world.Hosts[searcher].MemoryStorage.ReadAllBytes(result.Path));
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.PushReceived && e.Node == "firewalled");
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.DownloadVerified && e.Node == "searcher");
        }

        [Fact]
        public void A_push_with_no_route_fails_with_advice()
        {
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher");
            var middle = world.Add("middle");
            var firewalled = world.Add("firewalled", GnutellaRole.Leaf, o => o.Firewalled = true, FileName);
            world.Link(searcher, middle);
            world.Link(firewalled, middle);
            world.Settle(2);
            var hit = Assert.Single(world.Search(searcher, "secret", 3));
            world.Run(() => middle.StopAsync());
            world.Settle(2);
            var ex = Assert.Throws<PeerException>(() => world.Run(() => searcher.DownloadAsync(hit, "/downloads", null)));
            Assert.Equal(PeerErrorIds.DownloadFailed, ex.ErrorId);
            Assert.Contains("search again", ex.Message);
        }

        [Fact]
        public void Many_long_names_are_answered_in_several_hits_none_oversized()
        {
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher", configure: o => o.MaxPayloadLength = 32 * 1024);
            var names = Enumerable.Range(0, 40).Select(i => $"long {new string('x', 1500)} {i}.bin").ToArray();
            var holder = world.Add("holder", files: names);
            world.Link(searcher, holder);
            var hits = world.Search(searcher, "long", 1, max: 100);
            Assert.Equal(40, hits.Count);
            Assert.True(holder.Counters.HitsSent > 1);
            Assert.DoesNotContain(world.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            Assert.Equal(1, searcher.ConnectionCount);
        }

        [Fact]
        public void The_servent_port_serves_http_get()
        {
            var world = new GnutellaWorld();
            var holder = world.Add("holder", files: FileName);
            var client = world.Sim.AddHost("browser");
            string answer = world.Run(() => RawGnutellaClient.ExchangeAsync(client, world.Address(holder),
                "GET /get/0/secret%20plans.pdf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 200", answer);
            Assert.Contains("X-Gnutella-Content-URN: " + holder.Shared.Files[0].ContentHash, answer);
        }
    }
}
