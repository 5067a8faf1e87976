using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// A live download reaches its file in writes of at most 16 KiB (DownloadBody.WriteSlice), however large the chunks
    /// the network hands over, and the file and its SHA-1 are still exactly what was sent.
    /// </summary>
    public class DownloadBodyWriteSliceTests
    {
        [Fact]
        public async Task A_live_download_is_written_in_slices_of_at_most_16_KiB_and_hashes_what_was_sent()
        {
            var content = TempFolder.RandomBytes(700_000, 7);
            var hit = new SearchHit("big.bin", content.Length, ContentHash.Compute(content), "127.0.0.1:1", 1, "source", 1, TimeSpan.Zero);
            var file = new WriteRecordingStream();
            var network = new MemoryStream(content);
            ContentHash hash;
            using (var body = new DownloadBody(LiveRuntime.Loopback, file, hit, null, CancellationToken.None))
            {
                await body.ReceiveAsync((buffer, offset, count) => network.ReadAsync(buffer, offset, count), content.Length, "the test");
                hash = await body.FinishAsync();
            }

            Assert.Equal(ContentHash.Compute(content), hash);
            Assert.Equal(content, file.ToArray());
            Assert.All(file.WriteSizes, size => Assert.InRange(size, 1, DownloadBody.WriteSlice));
            Assert.True(file.WriteSizes.Count >= content.Length / DownloadBody.WriteSlice);
        }

        sealed class WriteRecordingStream : MemoryStream
        {
            public readonly List<int> WriteSizes = new List<int>();
            public override void Write(byte[] buffer, int offset, int count) { lock (WriteSizes) WriteSizes.Add(count); base.Write(buffer, offset, count); }
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) { Write(buffer, offset, count); return Task.CompletedTask; }
            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { Write(buffer.Span); return default; }
        }
    }
}
