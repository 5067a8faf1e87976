namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// "Name: value" lines that every head of some kind says the same, checked and encoded once (see
    /// <see cref="HandshakeHeadWriter.Prepare"/>), then written with one copy: a simulated network writes a few hundred
    /// thousand heads, and checking and encoding each line of each of them cost more than the copy.
    /// </summary>
    internal sealed class HandshakeHeadLines
    {
        internal HandshakeHeadLines(byte[] bytes) => Bytes = bytes;

        /// <summary>The lines as <see cref="HandshakeHeadWriter.Header(string, string)"/> writes them, each ending in CR LF.</summary>
        internal byte[] Bytes { get; }
    }
}
