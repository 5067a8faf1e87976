using System;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>One file found by Find-PeerFile. Pipes into Receive-PeerFile; also survives JSON/CSV round trips
    /// because Receive-PeerFile binds ContentHash, Source, Name and Size by property name.</summary>
    public sealed class PeerSearchHit
    {
        internal PeerSearchHit(SearchHit hit, PeerNode node)
        {
            Hit = hit ?? throw new ArgumentNullException(nameof(hit));
            Node = node;
        }

        public string Name => Hit.Name;
        public long Size => Hit.Size;
        /// <summary>urn:sha1:BASE32, as text so that it round-trips through JSON and CSV.</summary>
        public string ContentHash => Hit.ContentHash.ToString();
        /// <summary>The same hash as 40 hex digits: compares with (Get-FileHash -Algorithm SHA1).Hash.</summary>
        public string Sha1 => Hit.ContentHash.IsEmpty ? null : Hit.ContentHash.Hex;
        /// <summary>"host:port" of the HTTP server holding the file.</summary>
        public string Source => Hit.Source;
        /// <summary>The node the search went through (Receive-PeerFile downloads with it by default).</summary>
        public PeerNode Node { get; }
        public string PeerName => Hit.PeerName;
        public int Hops => Hit.Hops;
        public TimeSpan Latency => Hit.Latency;
        public int FileIndex => Hit.FileIndex;
        /// <summary>The source is firewalled (Gnutella push flag): Receive-PeerFile fetches it by Push/GIV through the node that found it.</summary>
        public bool NeedsPush => Hit.NeedsPush;

        /// <summary>The engine's hit (internal: Receive-PeerFile uses it; scripts use the properties above).</summary>
        internal SearchHit Hit { get; }

        public override string ToString() => $"{Name} at {Source}";
    }
}
