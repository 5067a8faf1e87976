using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Query (0x80): minimum speed / flags (u16, big-endian as modern servents write it), NUL-terminated criteria, then an extension block whose entries are
    /// separated by 0x1C: "urn:sha1:BASE32" (HUGE) entries become <see cref="Urns"/>; GGEP and anything else is skipped.
    /// </summary>
    /// <remarks>
    /// A query a servent receives may be the same object as the copy before it (a link's read loop shares equal ones):
    /// read it, never change it.
    /// </remarks>
    public sealed class Query : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Query;
        /// <summary>Bit 15 of <see cref="Flags"/>: the other bits are flags, not an old minimum speed.</summary>
        public const ushort NewSemantics = 0x8000;
        /// <summary>Bit 14: the searcher is firewalled, so a firewalled answerer should keep quiet (no Push could work).</summary>
        public const ushort SearcherFirewalled = 0x4000;
        /// <summary>Bit 13: the searcher wants XML metadata in the results.</summary>
        public const ushort WantsXml = 0x2000;

        /// <summary>
        /// The old "minimum speed" field, reused as flags by modern servents (the min-speed proposal, big-endian on the
        /// wire: 0x8000 is sent as 0x80 0x00). PSPeer sends <see cref="NewSemantics"/>, with
        /// <see cref="SearcherFirewalled"/> when it is firewalled itself.
        /// </summary>
        public ushort Flags { get; set; }

        /// <summary>Bits 15 and 14 set: a firewalled servent is searching.</summary>
        public bool IsFromFirewalledServent => (Flags & (NewSemantics | SearcherFirewalled)) == (NewSemantics | SearcherFirewalled);
        public string Criteria { get; set; } = "";
        public IReadOnlyList<ContentHash> Urns { get; set; } = Array.Empty<ContentHash>();
    }
}
