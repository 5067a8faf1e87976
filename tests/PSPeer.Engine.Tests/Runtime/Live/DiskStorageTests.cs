// Disk I/O on a temporary folder: the awaited reads and writes are real and short; nothing here runs a simulation.
#pragma warning disable xUnit1031

using System.IO;
using System.Threading;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Live
{
    public class DiskStorageTests
    {
        [Fact]
        public void OpenReadWrite_creates_missing_files_with_their_folders_and_never_truncates()
        {
            using (var folder = new TempFolder())
            {
                var storage = new DiskStorage();
                string path = Path.Combine(folder.Path, "t", "sub", "new.bin");
                using (var s = storage.OpenReadWrite(path))
                {
                    Assert.True(s.CanSeek && s.CanRead && s.CanWrite);
                    Assert.Equal(0, s.Length);
                    s.SetLength(6);
                    s.Position = 4;
                    s.WriteAsync(new byte[] { 7, 8 }, 0, 2, CancellationToken.None).GetAwaiter().GetResult();
                }
                Assert.Equal(new byte[] { 0, 0, 0, 0, 7, 8 }, File.ReadAllBytes(path));

                using (var s = storage.OpenReadWrite(path))
                {
                    Assert.Equal(6, s.Length);   // reopened: content kept
                    s.Position = 1;
                    s.WriteAsync(new byte[] { 1 }, 0, 1, CancellationToken.None).GetAwaiter().GetResult();
                    s.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
                    // Others may read the file while it is open for writing (a seeder and a checksum tool).
                    using (var reader = storage.OpenRead(path)) Assert.Equal(6, reader.Length);
                    var buffer = new byte[6];
                    s.Position = 0;
                    Assert.Equal(6, s.ReadAsync(buffer, 0, 6, CancellationToken.None).GetAwaiter().GetResult());
                    Assert.Equal(new byte[] { 0, 1, 0, 0, 7, 8 }, buffer);
                }
                Assert.Equal(new byte[] { 0, 1, 0, 0, 7, 8 }, File.ReadAllBytes(path));
            }
        }
    }
}
