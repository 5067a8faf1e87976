using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>mktorrent, the reference for what a .torrent of a given file, name and piece size looks like.</summary>
    public static class Mktorrent
    {
        /// <summary>
        /// Writes <paramref name="torrentPath"/> for <paramref name="contentPath"/> (a file or a folder) with pieces of
        /// 2^<paramref name="pieceLengthExponent"/> bytes (18 = 256 KiB), announcing to <paramref name="announceUrl"/>
        /// (null: no tracker). Returns the torrent's bytes.
        /// </summary>
        public static async Task<byte[]> CreateAsync(string contentPath, string torrentPath, string announceUrl, int pieceLengthExponent = 18,
            bool isPrivate = false, string comment = null)
        {
            var args = new List<string> { "-l", pieceLengthExponent.ToString(), "-o", torrentPath };
            if (announceUrl != null) { args.Add("-a"); args.Add(announceUrl); }
            if (isPrivate) args.Add("-p");
            if (comment != null) { args.Add("-c"); args.Add(comment); }
            args.Add(contentPath);
            if (File.Exists(torrentPath)) File.Delete(torrentPath);   // mktorrent refuses to overwrite
            var result = await ExternalTool.RunAsync("mktorrent", args, TimeSpan.FromSeconds(120));
            if (result.ExitCode != 0 || !File.Exists(torrentPath)) throw new InvalidOperationException("mktorrent failed: " + result);
            return File.ReadAllBytes(torrentPath);
        }
    }
}
