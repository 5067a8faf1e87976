using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Bytes that handshake heads are parsed in place from, and a generation that says whether a head parsed from them
    /// is still good: every refill starts a new generation, and a head of an older one refuses to be read (it throws
    /// rather than reading another connection's bytes).
    /// </summary>
    /// <remarks>
    /// A simulated network builds its links in waves: tens of thousands of handshakes at the same step of the same
    /// virtual instant. A buffer per head was the largest single cost of building one; with this, a head is parsed
    /// from one buffer per thread and only what the handshake keeps of it (a few strings, mostly shared constants)
    /// is allocated. The header spans of the head are kept here too, for the same reason.
    /// </remarks>
    internal sealed class HandshakeHeadBuffer
    {
        [ThreadStatic] static HandshakeHeadBuffer t_shared;

        int[] _spans;

        public HandshakeHeadBuffer(int size) => Bytes = new byte[size];

        public byte[] Bytes { get; private set; }
        public int Generation { get; private set; }

        /// <summary>This thread's buffer of at least <paramref name="size"/> bytes, lent for one synchronous step.</summary>
        public static HandshakeHeadBuffer Shared(int size)
        {
            var shared = t_shared;
            if (shared == null || shared.Bytes.Length < size) t_shared = shared = new HandshakeHeadBuffer(size);
            return shared;
        }

        /// <summary>The bytes are about to change: heads parsed from them so far are no longer good.</summary>
        public void Renew() => Generation++;

        /// <summary>The bytes, grown to <paramref name="size"/> keeping the first <paramref name="keep"/>.</summary>
        public void Grow(int size, int keep)
        {
            var grown = new byte[size];
            Buffer.BlockCopy(Bytes, 0, grown, 0, keep);
            Bytes = grown;
        }

        /// <summary>Room for <paramref name="length"/> span entries, reused from head to head.</summary>
        public int[] Spans(int length)
        {
            if (_spans == null || _spans.Length < length) _spans = new int[Math.Max(length, 64)];
            return _spans;
        }

        // A lent head given back (HandshakeHeadReader.Release), made over for the next head parsed here: a handshake
        // takes what it needs from a head at once, so one spare is all a buffer needs.
        HandshakeHead _spare;

        /// <summary>The spare head to parse into (its headers retired until refilled), or null.</summary>
        public HandshakeHead TakeSpare()
        {
            var spare = _spare;
            _spare = null;
            return spare;
        }

        /// <summary>Keeps <paramref name="head"/>, lent from here, for the next parse; reading it meanwhile throws.</summary>
        public void GiveBack(HandshakeHead head)
        {
            ((HandshakeHeaders)head.Headers).Retire();
            _spare = head;
        }

        /// <summary>Throws when a head of <paramref name="generation"/> is read after the bytes were reused.</summary>
        public void Check(int generation)
        {
            if (generation != Generation)
                throw new InvalidOperationException("This handshake head's bytes were reused for a later read: take what is needed from a head before reading the next.");
        }
    }
}
