using System;
using System.Collections.Generic;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>The bencoded bodies a tracker answers with (BEP 3, BEP 23 compact peers, BEP 7 peers6, scrape).</summary>
    static class TrackerResponses
    {
        public static byte[] Failure(string reason)
        {
            var d = new BDictionary();
            d["failure reason"] = new BString(reason);
            return Bencode.Encode(d);
        }

        public static byte[] Announce(TrackerOptions options, TrackerSwarm swarm, IReadOnlyList<TrackerPeerEntry> peers, bool compact, bool noPeerId)
        {
            var d = new BDictionary();
            d["interval"] = new BInteger((long)options.Interval.TotalSeconds);
            if (options.MinInterval.HasValue) d["min interval"] = new BInteger((long)options.MinInterval.Value.TotalSeconds);
            d["complete"] = new BInteger(swarm.Seeders);
            d["incomplete"] = new BInteger(swarm.Leechers);
            d["downloaded"] = new BInteger(swarm.Downloaded);
            if (compact)
            {
                int v4 = 0, v6 = 0;
                foreach (var p in peers)
                {
                    if (p.Compact == null) continue;
                    if (p.Compact.Length == 6) v4++; else v6++;
                }
                var peers4 = new byte[v4 * 6];
                var peers6 = new byte[v6 * 18];
                int o4 = 0, o6 = 0;
                foreach (var p in peers)
                {
                    if (p.Compact == null) continue;   // a host name cannot be compact; only the dictionary model carries it
                    if (p.Compact.Length == 6) { Buffer.BlockCopy(p.Compact, 0, peers4, o4, 6); o4 += 6; }
                    else { Buffer.BlockCopy(p.Compact, 0, peers6, o6, 18); o6 += 18; }
                }
                d["peers"] = new BString(peers4);
                if (v6 > 0) d["peers6"] = new BString(peers6);
            }
            else
            {
                var list = new BList();
                foreach (var p in peers)
                {
                    var entry = new BDictionary();
                    entry["ip"] = new BString(p.Host);
                    entry["port"] = new BInteger(p.Port);
                    if (!noPeerId) entry["peer id"] = new BString(p.PeerId);
                    list.Add(entry);
                }
                d["peers"] = list;
            }
            return Bencode.Encode(d);
        }

        public static byte[] Scrape(IEnumerable<ScrapeEntry> entries)
        {
            var files = new BDictionary();
            foreach (var e in entries)
            {
                var stats = new BDictionary();
                stats["complete"] = new BInteger(e.Complete);
                stats["incomplete"] = new BInteger(e.Incomplete);
                stats["downloaded"] = new BInteger(e.Downloaded);
                files[new BString(e.InfoHash.ToArray())] = stats;
            }
            var d = new BDictionary();
            d["files"] = files;
            return Bencode.Encode(d);
        }
    }
}
