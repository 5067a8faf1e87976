using System;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>Bencode that does not parse or breaks a limit. The message says what was wrong and at which byte.</summary>
    public sealed class BencodeException : FormatException
    {
        public BencodeException(string message, long offset)
            : base(message + " (at byte " + offset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")")
        {
            Offset = offset;
        }

        /// <summary>Offset in the decoded buffer where the problem was found.</summary>
        public long Offset { get; }
    }
}
