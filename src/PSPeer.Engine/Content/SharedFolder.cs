using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// The files a node shares. Hashes each file once (SHA-1), reusing hashes cached by path, size and modification
    /// time; indexes are stable for the folder's lifetime.
    /// </summary>
    public sealed class SharedFolder
    {
        public SharedFolder(IFileStorage storage, string root) { throw new NotImplementedException(); }

        /// <summary>Full path of the folder, or null when the node shares nothing.</summary>
        public string Root { get; }
        public IReadOnlyList<SharedFile> Files => throw new NotImplementedException();

        /// <summary>Hashes every file under Root (once); throws PeerException SharedPathNotFound when Root is missing.</summary>
        public Task<IReadOnlyList<SharedFile>> ScanAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

        /// <summary>Adds files (or all files of folders) outside or inside Root; returns those newly shared.</summary>
        public Task<IReadOnlyList<SharedFile>> AddAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        public SharedFile GetByIndex(int index) => throw new NotImplementedException();
        public SharedFile GetByHash(Core.ContentHash hash) => throw new NotImplementedException();
    }
}
