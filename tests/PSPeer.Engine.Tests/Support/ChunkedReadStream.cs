using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests
{
    /// <summary>
    /// A read-only stream over fixed bytes that hands out at most <c>chunk</c> bytes per ReadAsync, as TCP may split
    /// them, then ends. Codec tests of every protocol read through it.
    /// </summary>
    sealed class ChunkedReadStream : Stream
    {
        readonly byte[] _data;
        readonly int _chunk;
        int _position;

        public ChunkedReadStream(byte[] data, int chunk = int.MaxValue) { _data = data; _chunk = chunk; }

        public int ReadCalls { get; private set; }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ReadCalls++;
            int n = Math.Min(Math.Min(count, _chunk), _data.Length - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            _position += n;
            return Task.FromResult(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("ReadAsync only, like the simulated stream");
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
}
