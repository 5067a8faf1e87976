using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Napster
{
    /// <summary>ShareFile (100): "name" urn:sha1:HASH size bitrate frequency length file-index.</summary>
    public sealed class NapsterShare
    {
        public const long MaxFileSize = long.MaxValue / 2;

        public NapsterShare(string name, ContentHash hash, long size, int bitrate, int frequency, int length, int fileIndex)
        {
            Name = name; Hash = hash; Size = size; Bitrate = bitrate; Frequency = frequency; Length = length; FileIndex = fileIndex;
        }

        public string Name { get; }
        public ContentHash Hash { get; }
        public long Size { get; }
        public int Bitrate { get; }
        public int Frequency { get; }
        /// <summary>Playing time in seconds (0 for files that are not audio).</summary>
        public int Length { get; }
        /// <summary>PSPeer extension: the file's index on its peer; -1 when the client did not send one.</summary>
        public int FileIndex { get; }

        /// <summary>Appends the frame; false when the name makes it too long to send.</summary>
        public static bool Write(NapsterFrameWriter w, string name, ContentHash hash, long size, int fileIndex)
        {
            w.Begin(NapsterMessageType.ShareFile)
                .Append('"').Append(name).Append('"').Append(' ')
                .Append(hash.ToString()).Append(' ').Append(size).Append(" 0 0 0 ").Append((long)fileIndex);
            return w.End();
        }

        public string Format() => string.Format(CultureInfo.InvariantCulture, "\"{0}\" {1} {2} {3} {4} {5} {6}",
            Name, Hash, Size, Bitrate, Frequency, Length, FileIndex);

        public static NapsterShare Parse(string payload)
        {
            var r = new NapsterFieldReader(payload, "share");
            string name = r.Quoted("the file name");
            if (name.Length == 0) throw r.Fail("the file name is empty");
            string hashText = r.Word("the hash");
            if (!ContentHash.TryParse(hashText, out var hash)) throw r.Fail("the hash must be urn:sha1: and 32 base32 characters");
            long size = r.Long("the size", 0, MaxFileSize);
            int bitrate = r.Int("the bitrate", 0, int.MaxValue);
            int frequency = r.Int("the frequency", 0, int.MaxValue);
            int length = r.Int("the length", 0, int.MaxValue);
            int index = (int)r.OptionalLong("the file index", -1, int.MaxValue, -1);
            return new NapsterShare(name, hash, size, bitrate, frequency, length, index);
        }
    }
}
