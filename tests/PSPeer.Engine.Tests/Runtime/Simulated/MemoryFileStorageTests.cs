// Tasks are read only after the simulation has run them to completion (or in-memory I/O that completes
// synchronously): nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Linq;
using System.Threading;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class MemoryFileStorageTests
    {
        [Fact]
        public void Files_written_are_enumerated_sorted_recursively_with_virtual_modification_times()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var storage = host.MemoryStorage;
            storage.WriteFile("/music/b.mp3", new byte[10]);
            sim.RunFor(TimeSpan.FromMinutes(3));
            storage.WriteFile("music\\sub\\a.mp3", new byte[5]);
            storage.WriteFile("/other/x", new byte[1]);

            Assert.True(storage.DirectoryExists("/music/sub"));
            Assert.Equal(new[] { "/music/b.mp3", "/music/sub/a.mp3" }, storage.EnumerateFiles("/music").ToArray());
            var info = storage.GetInfo("/music/sub/a.mp3");
            Assert.Equal(5, info.Length);
            Assert.Equal(sim.Now.UtcDateTime, info.LastWriteUtc);
            Assert.Equal(sim.Options.Start.UtcDateTime, storage.GetInfo("/music/b.mp3").LastWriteUtc);
            Assert.Throws<DirectoryNotFoundException>(() => storage.EnumerateFiles("/nothing").ToList());
        }

        [Fact]
        public void Create_write_move_and_delete_behave_like_a_file_system()
        {
            var storage = new MemoryFileStorage(() => new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            using (var s = storage.Create("/downloads/part.tmp"))
            {
                s.WriteAsync(new byte[] { 1, 2, 3 }, 0, 3, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal(3, storage.GetInfo("/downloads/part.tmp").Length);
                s.Write(new byte[] { 4 }, 0, 1);
            }
            storage.WriteFile("/downloads/song.mp3", new byte[] { 9 });
            Assert.Throws<IOException>(() => storage.Move("/downloads/part.tmp", "/downloads/song.mp3", overwrite: false));
            storage.Move("/downloads/part.tmp", "/downloads/song.mp3", overwrite: true);
            Assert.False(storage.FileExists("/downloads/part.tmp"));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, storage.ReadAllBytes("/downloads/song.mp3"));

            using (var r = storage.OpenRead("/downloads/song.mp3"))
            {
                var buffer = new byte[10];
                Assert.Equal(4, r.ReadAsync(buffer, 0, 10, CancellationToken.None).GetAwaiter().GetResult());
                Assert.False(r.CanWrite);
            }
            storage.Delete("/downloads/song.mp3");
            storage.Delete("/downloads/never-existed");
            Assert.False(storage.FileExists("/downloads/song.mp3"));
            Assert.Throws<FileNotFoundException>(() => storage.OpenRead("/downloads/song.mp3"));
            Assert.Throws<FileNotFoundException>(() => storage.GetInfo("/downloads/song.mp3"));
        }

        [Fact]
        public void OpenReadWrite_creates_missing_files_with_their_folders_and_never_truncates()
        {
            var storage = new MemoryFileStorage(() => new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            using (var s = storage.OpenReadWrite("/t/sub/new.bin"))
            {
                Assert.True(s.CanSeek && s.CanRead && s.CanWrite);
                Assert.Equal(0, s.Length);
                s.SetLength(6);
                s.Position = 4;
                s.WriteAsync(new byte[] { 7, 8 }, 0, 2, CancellationToken.None).GetAwaiter().GetResult();
                Assert.Equal(new byte[] { 0, 0, 0, 0, 7, 8 }, storage.ReadAllBytes("/t/sub/new.bin"));   // visible while open
            }
            Assert.True(storage.DirectoryExists("/t/sub"));

            using (var s = storage.OpenReadWrite("/t/sub/new.bin"))
            {
                Assert.Equal(6, s.Length);   // reopened: content kept
                s.Position = 1;
                s.Write(new byte[] { 1 }, 0, 1);
                var buffer = new byte[6];
                s.Position = 0;
                Assert.Equal(6, s.ReadAsync(buffer, 0, 6, CancellationToken.None).GetAwaiter().GetResult());
                Assert.Equal(new byte[] { 0, 1, 0, 0, 7, 8 }, buffer);
            }
            Assert.Equal(new byte[] { 0, 1, 0, 0, 7, 8 }, storage.ReadAllBytes("/t/sub/new.bin"));
        }

        [Fact]
        public void Paths_are_normalized_and_never_climb_above_the_root()
        {
            var storage = new MemoryFileStorage(() => DateTime.UtcNow);
            Assert.Equal("/a/c", storage.GetFullPath("/a/b/../c"));
            Assert.Equal("/etc/passwd", storage.GetFullPath("../../../etc/passwd"));
            Assert.Equal("/share/x.txt", storage.GetFullPath(storage.Combine("/share", "x.txt")));
            Assert.Equal("/share/x.txt", storage.GetFullPath(storage.Combine("/share/", ".\\x.txt")));
            storage.WriteFile("/dir/file", new byte[1]);
            Assert.ThrowsAny<Exception>(() => storage.Create("/dir"));
            Assert.ThrowsAny<IOException>(() => storage.WriteFile("/dir/file/inner", new byte[1]));
        }
    }
}
