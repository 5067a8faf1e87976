using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// MemoryFileStorage.GetFullPath gives a path already in full form back as it is (no splitting and joining per file
    /// a network writes and shares), and every other path as the full form it always made.
    /// </summary>
    public class MemoryFileStorageFullPathTests
    {
        // What GetFullPath has always made: parts split on '/' (and '\'), "." dropped, ".." climbing, joined from "/".
        static string Normalised(string path)
        {
            var parts = new List<string>();
            foreach (var part in path.Replace('\\', '/').Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
                parts.Add(part);
            }
            return "/" + string.Join("/", parts);
        }

        [Theory]
        [InlineData("/")]
        [InlineData("/share")]
        [InlineData("/share/Hey Jude.mp3")]
        [InlineData("/a/.b/..c/d..")]
        [InlineData("/a/ /b")]
        public void A_full_path_comes_back_as_it_is(string path)
        {
            var storage = new MemoryFileStorage(() => DateTime.UnixEpoch);
            Assert.Same(path, storage.GetFullPath(path));
            Assert.Equal(Normalised(path), path);
        }

        [Theory]
        [InlineData("share")]
        [InlineData("share/a")]
        [InlineData("//")]
        [InlineData("//a")]
        [InlineData("/a//b")]
        [InlineData("/a/")]
        [InlineData("/a/./b")]
        [InlineData("/a/../b")]
        [InlineData("/..")]
        [InlineData("/.")]
        [InlineData("/a/.")]
        [InlineData("/a/..")]
        [InlineData("\\a\\b")]
        [InlineData("/a\\b")]
        [InlineData(".")]
        [InlineData("..")]
        public void Any_other_path_is_made_full_as_before(string path)
        {
            var storage = new MemoryFileStorage(() => DateTime.UnixEpoch);
            Assert.Equal(Normalised(path), storage.GetFullPath(path));
        }

        [Fact]
        public void A_file_written_by_its_full_path_is_found_by_any_spelling_of_it()
        {
            var storage = new MemoryFileStorage(() => DateTime.UnixEpoch);
            storage.WriteFile("/share/song.mp3", new byte[] { 1, 2, 3 });
            Assert.Equal(new byte[] { 1, 2, 3 }, storage.ReadAllBytes("share/./x/../song.mp3"));
            Assert.Equal("/share/song.mp3", storage.GetInfo("\\share\\song.mp3").Path);
            Assert.Equal(new[] { "/share/song.mp3" }, storage.EnumerateFiles("/share/"));
        }
    }
}
