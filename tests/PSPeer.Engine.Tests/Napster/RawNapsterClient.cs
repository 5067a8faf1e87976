using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Tests.Napster
{
    /// <summary>A hand-driven Napster client for tests: sends raw bytes or frames, reads frames back.</summary>
    sealed class RawNapsterClient : IDisposable
    {
        public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
        readonly IConnection _connection;
        readonly NapsterFrameReader _reader = new NapsterFrameReader();

        RawNapsterClient(IConnection connection) => _connection = connection;

        public static async Task<RawNapsterClient> ConnectAsync(IPeerRuntime runtime, string endPoint)
        {
            var ep = HostPort.Parse(endPoint);
            return new RawNapsterClient(await runtime.Transport.ConnectAsync(ep.Host, ep.Port).WaitAsync(Step));
        }

        public Task SendRawAsync(byte[] bytes) => _connection.Stream.WriteAsync(bytes, 0, bytes.Length).WaitAsync(Step);

        public Task SendAsync(NapsterMessageType type, string payload)
        {
            var w = new NapsterFrameWriter();
            w.WriteFrame(type, payload);
            return SendRawAsync(w.ToArray());
        }

        /// <summary>The next frame, or null when the server closed the connection.</summary>
        public async Task<(NapsterMessageType type, string text)?> ReadAsync()
        {
            while (true)
            {
                if (_reader.TryRead(out var f)) return (f.Type, f.GetText());
                var free = _reader.GetReceiveBuffer();
                int n;
                try { n = await _connection.Stream.ReadAsync(free.Array, free.Offset, free.Count).WaitAsync(Step); }
                catch (System.IO.IOException) { return null; }
                if (n == 0) return null;
                _reader.Commit(n);
            }
        }

        /// <summary>Results until the end marker.</summary>
        public async Task<List<NapsterSearchResult>> ReadResultsAsync()
        {
            var results = new List<NapsterSearchResult>();
            while (true)
            {
                var f = await ReadAsync() ?? throw new InvalidOperationException("connection closed before the end of results");
                if (f.type == NapsterMessageType.SearchEnd) return results;
                if (f.type == NapsterMessageType.SearchResult) results.Add(NapsterSearchResult.Parse(f.text));
            }
        }

        public async Task LoginAsync(string nick, int dataPort = 1234)
        {
            await SendAsync(NapsterMessageType.Login, new NapsterLogin(nick, "pw", dataPort, "raw test", 0).Format());
            var ack = await ReadAsync();
            if (ack?.type != NapsterMessageType.LoginAck) throw new InvalidOperationException($"login of {nick} not acknowledged: {ack}");
        }

        public void Dispose() => _connection.Dispose();
    }
}
