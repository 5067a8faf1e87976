using System;
using System.Text;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// One decoded frame. The payload is a view into the reader's buffer: it stays valid only until the reader is
    /// fed again, so handlers parse it (or copy it) before reading more. That keeps decoding free of allocations.
    /// </summary>
    public readonly struct NapsterFrame
    {
        // Strict: a payload that is not valid UTF-8 is a malformed message, not text with replacement characters.
        static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public NapsterFrame(NapsterMessageType type, byte[] buffer, int offset, int count)
        {
            Type = type; Buffer = buffer; Offset = offset; Count = count;
        }

        public NapsterMessageType Type { get; }
        public byte[] Buffer { get; }
        public int Offset { get; }
        public int Count { get; }

        /// <summary>The payload as text; throws NapsterProtocolException when it is not UTF-8.</summary>
        public string GetText()
        {
            if (Count == 0) return "";
            try { return StrictUtf8.GetString(Buffer, Offset, Count); }
            catch (DecoderFallbackException) { throw new NapsterProtocolException($"the payload of a type {(ushort)Type} message is not UTF-8 text"); }
        }

        public byte[] ToPayloadArray()
        {
            var copy = new byte[Count];
            if (Count > 0) System.Buffer.BlockCopy(Buffer, Offset, copy, 0, Count);
            return copy;
        }

        public override string ToString() => $"{Type} ({Count} bytes)";
    }
}
