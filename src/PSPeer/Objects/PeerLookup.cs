using System;
using System.Linq;
using PSPeer.Engine.Chord;

namespace PSPeer
{
    /// <summary>
    /// One key looked up on a Chord ring (Find-PeerKey; Set-PeerKey -PassThru): which node owns it, the nodes the
    /// lookup went through, and what it cost. Hops count as in the paper: the first node asked is hop 0, each further
    /// node on the path adds one (Path has Hops + 1 nodes); retries around dead nodes are counted apart.
    /// </summary>
    public sealed class PeerLookup
    {
        internal PeerLookup(ChordLookupResult result, PeerNode via, string key)
        {
            Key = result.Key ?? key;
            KeyId = result.KeyId.ToHex();
            Owner = EndPointOf(result.Owner);
            OwnerId = result.Owner?.Id.ToHex();
            Hops = result.Hops;
            Path = (result.Path ?? Array.Empty<ChordContact>()).Select(EndPointOf).ToArray();
            Latency = result.Latency;
            Retries = result.Retries;
            Messages = result.Messages;
            Mode = result.Mode;
            Succeeded = result.Succeeded;
            Failure = result.Failure;
            Via = via?.Name;
        }

        /// <summary>The key as given (a name; keyword pointers are "kw:&lt;keyword&gt;").</summary>
        public string Key { get; }
        /// <summary>SHA-1 of the key's UTF-8 bytes, 40 hex digits: its place on the ring.</summary>
        public string KeyId { get; }
        /// <summary>"host:port" of the node that owns the key (its successor on the ring); null when the lookup failed.</summary>
        public string Owner { get; }
        /// <summary>The owner's node id, 40 hex digits.</summary>
        public string OwnerId { get; }
        public int Hops { get; }
        /// <summary>"host:port" of every node that handled the lookup, first asked first.</summary>
        public string[] Path { get; }
        public TimeSpan Latency { get; }
        /// <summary>Queries sent again, or sent elsewhere, because a node did not answer.</summary>
        public int Retries { get; }
        /// <summary>Datagrams the lookup sent (queries and retries).</summary>
        public int Messages { get; }
        public ChordLookupMode Mode { get; }
        public bool Succeeded { get; }
        /// <summary>Why the lookup failed; null when it succeeded.</summary>
        public string Failure { get; }
        /// <summary>The node the lookup started from.</summary>
        public string Via { get; }

        static string EndPointOf(ChordContact contact) => contact?.EndPoint?.ToString();

        public override string ToString() => Succeeded ? $"{Key} at {Owner} ({Hops} hops)" : $"{Key}: {Failure}";
    }
}
