using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Refuses torrent file names that could write outside the download folder or name a device: absolute paths,
    /// "..", empty or "." segments, separators or drive letters inside a segment, control characters, and the Windows
    /// device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension). A torrent is checked when it is
    /// parsed, so nothing is ever written for an unsafe one.
    /// </summary>
    public static class TorrentPathValidator
    {
        static readonly HashSet<string> DeviceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            // Superscript digits: Windows treats these as device names too.
            "COM\u00b9", "COM\u00b2", "COM\u00b3", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
        };

        /// <summary>Null when the segment is safe, else why not.</summary>
        public static string WhyUnsafe(string segment)
        {
            if (segment == null || segment.Length == 0) return "it has an empty path segment (absolute path or doubled separator)";
            if (segment == ".") return "it has a '.' path segment";
            if (segment == "..") return "it has a '..' path segment that would leave the download folder";
            foreach (char c in segment)
            {
                if (c == '/' || c == '\\') return "a path segment contains a '" + c + "' separator";
                if (c == ':') return "a path segment contains ':' (a drive letter or stream name)";
                if (c < 0x20 || c == 0x7f) return "a path segment contains a control character";
            }
            // Windows ignores trailing dots and spaces and anything after the first dot when it matches device names.
            var stem = segment;
            int dot = stem.IndexOf('.');
            if (dot >= 0) stem = stem.Substring(0, dot);
            stem = stem.TrimEnd(' ', '.');
            if (DeviceNames.Contains(stem)) return "'" + segment + "' is a Windows device name";
            return null;
        }

        /// <summary>Throws PeerException(UnsafeFileName) naming the path when any segment is unsafe.</summary>
        public static void Validate(IReadOnlyList<string> segments, string field)
        {
            if (segments.Count == 0)
                throw new PeerException(PeerErrorIds.UnsafeFileName, "The torrent has an empty file path in '" + field + "'; refusing it.");
            foreach (var segment in segments)
            {
                var why = WhyUnsafe(segment);
                if (why != null)
                {
                    throw new PeerException(PeerErrorIds.UnsafeFileName,
                        "The torrent names the unsafe file path '" + Display(segments) + "' in '" + field + "': " + why +
                        ". Nothing was written; only use torrents from a source you trust.");
                }
            }
        }

        static string Display(IReadOnlyList<string> segments)
        {
            var text = string.Join("/", segments);
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++) if (chars[i] < 0x20 || chars[i] == 0x7f) chars[i] = '?';
            text = new string(chars);
            return text.Length > 200 ? text.Substring(0, 200) + "..." : text;
        }
    }
}
