using System.Collections.Generic;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Napster;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The status's counters, summed over every node of the scope from the nodes' own counters (read, never
    /// subscribed: it costs the nodes nothing). Gnutella and BitTorrent feed the charts' rates (messages, queries, hits,
    /// bytes); Chord (lookups, messages, keys held) and Napster (searches, files indexed) have a table of their own,
    /// sent only when the scope has nodes of that protocol.
    /// </summary>
    internal sealed class DashboardCounters
    {
        long _messages, _queries, _hits, _bytes;
        long _chordNodes, _chordLookups, _chordMessages, _chordKeys;
        long _napsterServers, _napsterSearches, _napsterFiles;

        public void Add(PeerNodeBase node)
        {
            switch (node)
            {
                case GnutellaServent g:
                    var c = g.Counters;
                    _messages += c.MessagesSent;
                    _queries += c.QueriesReceived;
                    _hits += c.HitsSent;
                    break;
                case BitTorrentPeer b:
                    _bytes += b.Downloaded + b.Uploaded;
                    break;
                case ChordNode chord:
                    _chordNodes++;
                    _chordLookups += chord.Counters.Lookups;
                    _chordMessages += chord.Counters.DatagramsOut;
                    _chordKeys += chord.StoredKeyCount;
                    break;
                case NapsterIndexServer index:
                    _napsterServers++;
                    _napsterSearches += index.SearchCount;
                    _napsterFiles += index.IndexedFileCount;
                    break;
            }
        }

        /// <summary>Puts the sums into <paramref name="status"/>, with <paramref name="events"/> taken by the feed.</summary>
        public void WriteTo(DashboardStatus status, long events)
        {
            status.Counters["messages"] = _messages;
            status.Counters["queries"] = _queries;
            status.Counters["hits"] = _hits;
            status.Counters["bytes"] = _bytes;
            status.Counters["events"] = events;
            if (_chordNodes > 0)
                status.Protocols.Add(new KeyValuePair<string, Dictionary<string, long>>("Chord", new Dictionary<string, long>
                {
                    ["nodes"] = _chordNodes, ["lookups"] = _chordLookups, ["messages"] = _chordMessages, ["keys"] = _chordKeys,
                }));
            if (_napsterServers > 0)
                status.Protocols.Add(new KeyValuePair<string, Dictionary<string, long>>("Napster", new Dictionary<string, long>
                {
                    ["servers"] = _napsterServers, ["searches"] = _napsterSearches, ["files"] = _napsterFiles,
                }));
        }
    }
}
