using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A host cache keeps an IPv4 literal host as its address and any other host as text: either way a host is the one
    /// its text names (ignoring case), found however it is learnt, and said back exactly as it was heard.
    /// </summary>
    public class HostCacheIpv4Tests
    {
        static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static readonly HostPort[] None = new HostPort[0];

        const string Mixed = "010.0.0.1:6346,10.0.0.1:6346,[10.0.0.3]:6346,Peer.Example:6346,[fe80::1]:6346,10.0.0.1:6347";

        [Fact]
        public void Literal_and_other_spellings_are_the_hosts_their_texts_name_and_are_said_back_as_heard()
        {
            foreach (var cache in new[] { FromString(Mixed), FromBytes(Mixed) })
            {
                Assert.Equal(new[] { "010.0.0.1:6346", "10.0.0.1:6346", "10.0.0.3:6346", "Peer.Example:6346", "[fe80::1]:6346", "10.0.0.1:6347" },
                    cache.OldestFirst().Select(h => h.ToString()));
                Assert.Equal("10.0.0.1:6347,[fe80::1]:6346,Peer.Example:6346,10.0.0.3:6346,10.0.0.1:6346,010.0.0.1:6346", cache.TryUltrapeersHeader(10, null));

                // Learnt again by any spelling of the same text: found, in place.
                cache.Add(new HostPort("10.0.0.1", 6346), knownLeaf: true);
                cache.Add(new HostPort("peer.example", 6346), knownLeaf: true);
                cache.AddList("010.0.0.1:6346,FE80::1:6346,10.0.0.9:6346", 20, knownUltrapeers: true);
                Assert.Equal(7, cache.Count);
                Assert.Equal("10.0.0.9:6346,[fe80::1]:6346,010.0.0.1:6346,10.0.0.1:6347,10.0.0.3:6346", cache.TryUltrapeersHeader(10, null));

                // Excluded, failed and succeeded by value, whatever the object.
                Assert.Equal("10.0.0.9:6346,[fe80::1]:6346,010.0.0.1:6346,10.0.0.1:6347", cache.TryUltrapeersHeader(10, new HostPort("10.0.0.3", 6346)));
                Assert.Equal("10.0.0.9:6346,010.0.0.1:6346,10.0.0.1:6347,10.0.0.3:6346", cache.TryUltrapeersHeader(10, new HostPort("Fe80::1", 6346)));
                cache.Failed(new HostPort("10.0.0.3", 6346), T0);
                cache.Failed(new HostPort("010.0.0.1", 6346), T0);
                Assert.Equal(new[] { "10.0.0.9:6346", "10.0.0.1:6347", "[fe80::1]:6346" }, cache.Candidates(T0, 10, None).Select(h => h.ToString()));
                cache.Succeeded(new HostPort("10.0.0.3", 6346));
                Assert.Equal(new[] { "10.0.0.9:6346", "10.0.0.1:6347", "[fe80::1]:6346", "10.0.0.3:6346" },
                    cache.Candidates(T0, 10, new[] { new HostPort("010.0.0.1", 6346) }).Select(h => h.ToString()));
            }
        }

        [Fact]
        public void A_head_written_from_the_numbers_says_what_the_header_string_says()
        {
            var cache = FromBytes(Mixed);
            cache.Add(new HostPort("255.255.255.255", 65535), knownUltrapeer: true);
            cache.Add(new HostPort("1.2.3.4", 1));
            foreach (var exclude in new[] { null, new HostPort("10.0.0.1", 6347), new HostPort("peer.example", 6346), new HostPort("010.0.0.1", 6346) })
            {
                var writer = HandshakeHeadWriter.Start("GNUTELLA/0.6 200 OK");
                cache.WriteTryUltrapeers(writer, "X-Try-Ultrapeers", 10, exclude);
                Assert.Equal("GNUTELLA/0.6 200 OK\r\nX-Try-Ultrapeers: " + cache.TryUltrapeersHeader(10, exclude) + "\r\n\r\n",
                    System.Text.Encoding.ASCII.GetString(writer.Finish()));
            }
            Assert.StartsWith("255.255.255.255:65535,", cache.TryUltrapeersHeader(10, null));
        }

        [Fact]
        public void An_address_is_written_as_its_host_port_would_be()
        {
            foreach (var text in new[] { "0.0.0.1", "10.0.0.1", "100.20.3.255", "255.255.255.255" })
                foreach (var port in new[] { 1, 9, 6346, 65535 })
                {
                    var host = new HostPort(text, port);
                    var byValue = HandshakeHeadWriter.Start("X").BeginHeader("H").Ipv4EndpointValue(host.Ipv4Address, port).EndHeader().Finish();
                    var byObject = HandshakeHeadWriter.Start("X").BeginHeader("H").HostPortValue(host).EndHeader().Finish();
                    Assert.Equal(byObject, byValue);
                }
        }

        [Fact]
        public void A_literal_host_learnt_from_a_list_is_one_object_however_often_it_is_asked_for()
        {
            // Made when asked for (to dial), and shared: the next cache to hand it out, and the next Listen-IP read, get it.
            var bytes = System.Text.Encoding.ASCII.GetBytes("10.77.0.1:6346");
            var first = new HostCache(10);
            var second = new HostCache(10);
            first.AddList(bytes, 0, bytes.Length, 10, true);
            second.Add(new HostPort("10.77.0.1", 6346));
            var handedOut = Assert.Single(first.Candidates(T0, 10, None));
            Assert.Equal("10.77.0.1", handedOut.Host);
            Assert.Same(handedOut, Assert.Single(second.OldestFirst()));
            Assert.True(HostCache.TryParseEndpoint(bytes, 0, bytes.Length, null, out var parsed));
            Assert.Same(handedOut, parsed);
        }

        static HostCache FromString(string list)
        {
            var cache = new HostCache(100);
            cache.AddList(list, 20, knownUltrapeers: false);
            return cache;
        }

        static HostCache FromBytes(string list)
        {
            var cache = new HostCache(100);
            var bytes = System.Text.Encoding.ASCII.GetBytes("X-Try: " + list + "\r\n");
            cache.AddList(bytes, 7, bytes.Length - 9, 20, knownUltrapeers: false);
            return cache;
        }
    }
}
