using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>One parsed handshake head: "GNUTELLA CONNECT/0.6" or "GNUTELLA/0.6 &lt;status&gt; &lt;reason&gt;", then headers.</summary>
    public sealed class HandshakeHead
    {
        public string StartLine { get; set; }
        public bool IsConnect { get; set; }
        /// <summary>Protocol version from the start line, e.g. "0.6".</summary>
        public string Version { get; set; }
        /// <summary>For responses; 0 for a connect.</summary>
        public int Status { get; set; }
        public string Reason { get; set; }
        /// <summary>Case-insensitive names; repeated headers are joined with ",".</summary>
        public IReadOnlyDictionary<string, string> Headers { get; set; }
        /// <summary>Bytes read past the head's empty line (descriptors that followed at once); never null.</summary>
        public byte[] Remainder { get; set; } = NothingMore;

        // Shared: most heads have nothing behind them, and an empty array cannot change.
        static readonly byte[] NothingMore = new byte[0];
    }
}
