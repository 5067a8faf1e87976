using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>Records every WriteAsync; a test can hold writes back with <see cref="Gate"/>.</summary>
    sealed class RecordingWriteStream : Stream
    {
        readonly MemoryStream _all = new MemoryStream();

        public List<int> Writes { get; } = new List<int>();
        public TaskCompletionSource<bool> Gate { get; set; }
        public byte[] ToArray() => _all.ToArray();

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(buffer, offset, copy, 0, count);
            Writes.Add(count);
            if (Gate != null) await Gate.Task;
            _all.Write(copy, 0, count);
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
