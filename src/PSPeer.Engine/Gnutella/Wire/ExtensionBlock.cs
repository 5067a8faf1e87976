using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The extension blocks of queries and query-hit results: entries separated by 0x1C, each either a GGEP block
    /// (0xC3, parsed structurally so its bytes cannot be mistaken for separators), a HUGE "urn:..." string, or anything
    /// else (XML metadata, plain text) which is skipped. Parsing stops at a NUL or at <c>limit</c>.
    /// </summary>
    static class ExtensionBlock
    {
        public const byte Separator = 0x1C;

        /// <summary>What one block yielded (most blocks hold no urn, and then no list is made).</summary>
        public sealed class Contents
        {
            List<ContentHash> _urns;
            public long? LargeFileSize;

            public int UrnCount => _urns?.Count ?? 0;
            public ContentHash FirstUrn => _urns[0];
            public ContentHash[] UrnArray() => UrnCount == 0 ? Array.Empty<ContentHash>() : _urns.ToArray();

            /// <summary>Adds a urn not already there.</summary>
            public void Add(ContentHash hash)
            {
                if (_urns == null) _urns = new List<ContentHash>(1);
                if (!_urns.Contains(hash)) _urns.Add(hash);
            }

            /// <summary>Empty again, for the next block.</summary>
            public void Clear()
            {
                _urns?.Clear();
                LargeFileSize = null;
            }
        }

        /// <summary>
        /// Parses from <paramref name="offset"/>; returns the index of the NUL that ended it, or <paramref name="limit"/>.
        /// With no <paramref name="into"/> it only finds the end (GGEP blocks are still read, and refused when malformed).
        /// </summary>
        public static int Parse(byte[] buffer, int offset, int limit, Contents into)
        {
            int p = offset;
            while (p < limit && buffer[p] != 0)
            {
                if (buffer[p] == Separator) { p++; continue; }
                if (buffer[p] == Ggep.Magic)
                {
                    var extensions = Ggep.Read(buffer, p, limit, out p);
                    if (into != null) foreach (var ext in extensions) Absorb(ext, into);
                    continue;
                }
                int end = p;
                while (end < limit && buffer[end] != 0 && buffer[end] != Separator) end++;
                if (into != null) AbsorbText(buffer, p, end - p, into);
                p = end;
            }
            return p;
        }

        static void AbsorbText(byte[] buffer, int offset, int count, Contents into)
        {
            const string sha1 = "urn:sha1:";
            if (count < sha1.Length || count > 128) return;
            string text = Encoding.ASCII.GetString(buffer, offset, count);
            if (!text.StartsWith(sha1, StringComparison.OrdinalIgnoreCase)) return;
            if (ContentHash.TryParse(text, out var hash)) into.Add(hash);
        }

        static void Absorb(GgepExtension ext, Contents into)
        {
            if (ext.Data == null) return;
            if (ext.Id == "LF" && Ggep.TryDecodeInteger(ext.Data, out long size)) into.LargeFileSize = size;
            else if (ext.Id == "H" && ext.Data.Length >= 21 && ext.Data[0] == 0x01)
            {
                // GGEP "H": a type byte (1 = SHA-1, 2 = SHA-1 + Tiger tree root) and the binary digest.
                var digest = new byte[20];
                Buffer.BlockCopy(ext.Data, 1, digest, 0, 20);
                into.Add(new ContentHash(digest));
            }
        }
    }
}
