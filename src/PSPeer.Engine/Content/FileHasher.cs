using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>Computes a file's SHA-1 through the runtime's storage, so simulated hosts hash their in-memory files.</summary>
    static class FileHasher
    {
        // 1 MiB reads keep the per-call overhead negligible next to SHA-1 itself on multi-gigabyte files.
        const int BufferSize = 1 << 20;

        public static async Task<ContentHash> HashFileAsync(IFileStorage storage, string path, CancellationToken cancellationToken)
        {
            using (var sha = SHA1.Create())
            using (var stream = storage.OpenRead(path))
            {
                // A small file gets a buffer its size: a 100,000-node simulation hashes thousands of tiny files, and a
                // 1 MiB buffer each (a large-object-heap allocation) made the GC do a full collection every few dozen.
                long length = stream.CanSeek ? stream.Length : BufferSize;
                var buffer = new byte[(int)Math.Max(1, Math.Min(BufferSize, length))];
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken);
                    if (n <= 0) break;
                    sha.TransformBlock(buffer, 0, n, null, 0);
                }
                sha.TransformFinalBlock(buffer, 0, 0);
                return new ContentHash(sha.Hash);
            }
        }
    }
}
