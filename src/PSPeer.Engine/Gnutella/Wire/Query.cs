using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Query (0x80): minimum speed / flags (u16 LE), NUL-terminated criteria, then an extension block whose entries are
    /// separated by 0x1C: "urn:sha1:BASE32" (HUGE) entries become <see cref="Urns"/>; GGEP and anything else is skipped.
    /// </summary>
    public sealed class Query : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Query;
        /// <summary>The old "minimum speed" field, reused as flags by modern servents; PSPeer sends 0.</summary>
        public ushort Flags { get; set; }
        public string Criteria { get; set; } = "";
        public IReadOnlyList<ContentHash> Urns { get; set; } = new ContentHash[0];
    }
}
