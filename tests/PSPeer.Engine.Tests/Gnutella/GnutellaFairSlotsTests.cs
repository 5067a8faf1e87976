using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Servent lockout (issue 10, item 4): links that only ping fill every slot; honest servents must still get in,
    /// and no single address may hold more than a few slots. Simulated, so the grace periods pass in virtual time.
    /// </summary>
    public class GnutellaFairSlotsTests
    {
        static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);

        /// <summary>
        /// 62 links from 16 attacker hosts (4 each, the per-address limit): 32 as ultrapeers, 30 as leaves. Each pings
        /// every 10 s (so it is never silent) and never sends a query or a hit. Returns when all are linked.
        /// </summary>
        static List<SimulatedHost> FillSlotsWithPingers(GnutellaWorld world, GnutellaServent target, TimeSpan until)
        {
            var hosts = Enumerable.Range(0, 16).Select(i => world.Sim.AddHost("attacker" + i)).ToList();
            for (int i = 0; i < 62; i++)
            {
                var host = hosts[i / 4];
                bool asUltrapeer = i < 32;
                world.Sim.Spawn(async () =>
                {
                    var client = await RawGnutellaClient.ConnectAsync(host, world.Address(target), asUltrapeer);
                    if (client.Answer.Status != 200) return;
                    var reading = RawGnutellaClient.ReadToEndAsync(client.Connection);   // drains the Pongs until we are cut
                    var stop = host.Clock.Now + until;
                    while (!reading.IsCompleted && host.Clock.Now < stop)
                    {
                        try { await client.SendAsync(GnutellaGuid.New(host.Random), 1, 0, new Ping()); }
                        catch (Exception) { break; }
                        await Task.WhenAny(reading, host.Clock.Delay(PingEvery));
                    }
                    client.Connection.Dispose();
                });
            }
            world.Settle(2);
            Assert.Equal(32, target.UltrapeerLinkCount);
            Assert.Equal(30, target.LeafLinkCount);
            return hosts;
        }

        /// <summary>Dials every 5 s until the link is up (at most 20 tries); the virtual time it took, or null.</summary>
        static TimeSpan? DialUntilLinked(GnutellaWorld world, GnutellaServent from, GnutellaServent to)
        {
            TimeSpan? took = null;
            var clock = world.Hosts[from].Clock;
            var start = clock.Now;
            world.Run(async () =>
            {
                for (int attempt = 0; attempt < 20 && took == null; attempt++)
                {
                    try
                    {
                        await from.ConnectAsync(world.Address(to));
                        took = clock.Now - start;
                    }
                    catch (PeerException) { await clock.Delay(TimeSpan.FromSeconds(5)); }
                }
            });
            return took;
        }

        [Theory]
        [InlineData(GnutellaRole.Ultrapeer)]
        [InlineData(GnutellaRole.Leaf)]
        public void An_honest_servent_gets_a_slot_held_by_a_link_that_only_pings(GnutellaRole role)
        {
            var world = new GnutellaWorld();
            var target = world.Add("target");
            FillSlotsWithPingers(world, target, TimeSpan.FromMinutes(3));
            var honest = world.Add("honest", role);

            var took = DialUntilLinked(world, honest, target);

            // Refused while the pingers are in their grace, then a useless one makes room: within the grace and a retry.
            Assert.True(took.HasValue, "the honest servent never got a slot");
            Assert.InRange(took.Value, TimeSpan.Zero, target.Options.LinkGrace + TimeSpan.FromSeconds(10));
            var evicted = world.Events.Where(e => e.Type == PeerEventTypes.LinkEvicted && e.Node == "target").ToList();
            Assert.Single(evicted);
            Assert.Equal(role == GnutellaRole.Ultrapeer, evicted[0].Data["Ultrapeer"]);
            Assert.StartsWith("useless link", (string)evicted[0].Data["Reason"]);
            world.Settle(1);
            Assert.Equal(62, target.ConnectionCount);   // one pinger out, the honest servent in
            // The evicted link heard why, and the event says who closed it.
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.ConnectionClosed && e.Node == "target" && e.Message.StartsWith("Making room"));
        }

        [Fact]
        public void A_link_that_carries_queries_keeps_its_slot()
        {
            var world = new GnutellaWorld();
            var target = world.Add("target", configure: o => { o.MaxUltrapeerLinks = 1; });
            var searcher = world.Add("searcher");
            world.Link(searcher, target);
            // The searcher's link is past its grace and useful (it carried a query a moment ago): a newcomer is refused.
            world.Sim.RunFor(target.Options.LinkGrace + TimeSpan.FromSeconds(5));
            world.Search(searcher, "anything", 2, timeoutSeconds: 1);
            var newcomer = world.Add("newcomer");
            var refusal = Assert.Throws<PeerException>(() => world.Run(() => newcomer.ConnectAsync(world.Address(target))));
            Assert.Contains("Ultrapeer slots full", refusal.Message);
            Assert.DoesNotContain(world.Events, e => e.Type == PeerEventTypes.LinkEvicted);

            // Once it has been quiet for UselessAfter, it is useless and gives way.
            world.Sim.RunFor(target.Options.UselessAfter);
            world.Run(() => newcomer.ConnectAsync(world.Address(target)));
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.LinkEvicted && e.Node == "target");
        }

        [Fact]
        public void One_address_gets_at_most_MaxLinksPerAddress_links()
        {
            var world = new GnutellaWorld();
            var target = world.Add("target");
            var host = world.Sim.AddHost("greedy");
            var answers = new List<int>();
            for (int i = 0; i < 6; i++)
                answers.Add(world.Run(async () => (await RawGnutellaClient.ConnectAsync(host, world.Address(target))).Answer.Status));
            world.Settle();
            Assert.Equal(new[] { 200, 200, 200, 200, 503, 503 }, answers);
            Assert.Equal(4, target.LinksPerAddressLimit);   // half the servent's default 8 connections per address
            Assert.Equal(target.LinksPerAddressLimit, target.ConnectionCount);
        }
    }
}
