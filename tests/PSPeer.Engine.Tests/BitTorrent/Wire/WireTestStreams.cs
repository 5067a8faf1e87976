using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>Serves fixed bytes at most <c>chunk</c> at a time, as TCP may split them, then ends.</summary>
    sealed class ChunkedReadStream : Stream
    {
        readonly byte[] _data;
        readonly int _chunk;
        int _position;

        public ChunkedReadStream(byte[] data, int chunk) { _data = data; _chunk = chunk; }

        public int ReadCalls { get; private set; }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadCalls++;
            int n = Math.Min(Math.Min(count, _chunk), _data.Length - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

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
