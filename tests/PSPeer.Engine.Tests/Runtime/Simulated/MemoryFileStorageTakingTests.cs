using System;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// WriteFile keeps a copy of what it is given; WriteFileTaking (for a caller that made the bytes for the file and lets
    /// them go) keeps the array itself, the file otherwise the same: its directories made, its length and time set.
    /// </summary>
    public class MemoryFileStorageTakingTests
    {
        [Fact]
        public void WriteFile_keeps_a_copy_and_WriteFileTaking_keeps_the_array_itself()
        {
            var now = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            var storage = new MemoryFileStorage(() => now);
            var copied = new byte[] { 1, 2, 3 };
            var taken = new byte[] { 4, 5, 6, 7 };
            storage.WriteFile("/share/copied.bin", copied);
            storage.WriteFileTaking("/share/deep/taken.bin", taken);

            copied[0] = 9;
            taken[0] = 9;
            Assert.Equal(new byte[] { 1, 2, 3 }, storage.ReadAllBytes("/share/copied.bin"));
            Assert.Equal(new byte[] { 9, 5, 6, 7 }, storage.ReadAllBytes("/share/deep/taken.bin"));

            Assert.True(storage.DirectoryExists("/share/deep"));
            var info = storage.GetInfo("/share/deep/taken.bin");
            Assert.Equal(4, info.Length);
            Assert.Equal(now, info.LastWriteUtc);
            Assert.Throws<ArgumentNullException>(() => storage.WriteFileTaking("/x", null));
        }
    }
}
