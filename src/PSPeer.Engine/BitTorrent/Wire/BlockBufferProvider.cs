using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Chooses where the reader puts the block of a piece message, so a download can assemble a piece in one buffer
    /// with no copy: return a segment of at least <paramref name="length"/> bytes (typically the piece buffer at
    /// offset <paramref name="begin"/>), or default(ArraySegment) to let the reader allocate a fresh array. Called
    /// after the header was validated; the reader writes only the first <paramref name="length"/> bytes of the segment.
    /// </summary>
    public delegate ArraySegment<byte> BlockBufferProvider(int index, int begin, int length);
}
