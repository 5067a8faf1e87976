using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Serves a <see cref="SharedFolder"/> over HTTP/1.1 with Range: GET /get/&lt;index&gt;/&lt;name&gt; and
    /// GET /uri-res/N2R?urn:sha1:&lt;BASE32&gt;. Serves only files in the folder's list, so no path ever leaves it.
    /// </summary>
    public sealed class HttpFileServer
    {
        /// <param name="onEvent">Called with (type, remote, message) for HttpRequest, UploadCompleted, MalformedMessage.</param>
        public HttpFileServer(IPeerRuntime runtime, SharedFolder folder, Action<string, string, string> onEvent) { throw new NotImplementedException(); }

        public string EndPoint => throw new NotImplementedException();
        public Task StartAsync(int port, CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public Task StopAsync() => throw new NotImplementedException();
    }
}
