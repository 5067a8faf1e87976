using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// A download source on real loopback sockets whose every answer a test writes by hand: for each request head it
    /// reads, <see cref="Answer"/> gives the bytes to send back and whether to close the connection after them. It
    /// records the request heads and counts connections, so a test can check what the downloader asked and how.
    /// </summary>
    sealed class ScriptedHttpSource : IDisposable
    {
        readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        readonly List<Task> _serving = new List<Task>();
        readonly Task _accepting;
        int _connections;

        /// <summary>(request head, its number from 0, its connection's number from 0) -> (bytes to send, close after).</summary>
        public Func<string, int, int, (byte[] bytes, bool close)> Answer { get; set; }

        public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();
        public int Connections => Volatile.Read(ref _connections);
        public string EndPoint => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

        public ScriptedHttpSource(bool accept = true)
        {
            _listener.Start();
            _accepting = accept ? AcceptLoopAsync() : Task.CompletedTask;
        }

        async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                lock (_serving) _serving.Add(ServeAsync(client));
            }
        }

        /// <summary>Plays the source on a socket the test opened itself (the far end of a pushed connection).</summary>
        public Task ServeAsync(TcpClient client)
        {
            int connection = Interlocked.Increment(ref _connections) - 1;
            return Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var pending = new List<byte>();
                    var buffer = new byte[4096];
                    try
                    {
                        while (true)
                        {
                            string head = await ReadHeadAsync(stream, pending, buffer);
                            if (head == null) return;
                            Requests.Enqueue(head);
                            var (bytes, close) = Answer(head, Requests.Count - 1, connection);
                            await stream.WriteAsync(bytes, 0, bytes.Length, _stop.Token);
                            if (close) return;
                        }
                    }
                    catch (Exception e) when (e is IOException || e is OperationCanceledException || e is ObjectDisposedException) { }
                }
            });
        }

        async Task<string> ReadHeadAsync(NetworkStream stream, List<byte> pending, byte[] buffer)
        {
            while (true)
            {
                for (int i = 3; i < pending.Count; i++)
                    if (pending[i - 3] == '\r' && pending[i - 2] == '\n' && pending[i - 1] == '\r' && pending[i] == '\n')
                    {
                        string head = Encoding.ASCII.GetString(pending.GetRange(0, i + 1).ToArray());
                        pending.RemoveRange(0, i + 1);
                        return head;
                    }
                int n = await stream.ReadAsync(buffer, 0, buffer.Length, _stop.Token);
                if (n <= 0) return null;
                for (int i = 0; i < n; i++) pending.Add(buffer[i]);
            }
        }

        public TcpListener Listener => _listener;

        /// <summary>The Range header's first byte in a request head, or -1 when it asks for none.</summary>
        public static long RangeStart(string head)
        {
            foreach (var line in head.Split("\r\n"))
                if (line.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
                {
                    string spec = line.Substring(6).Trim();
                    return long.Parse(spec.Substring("bytes=".Length, spec.IndexOf('-') - "bytes=".Length));
                }
            return -1;
        }

        public static byte[] Cat(byte[] head, byte[] body, int offset, int count)
        {
            var all = new byte[head.Length + count];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, offset, all, head.Length, count);
            return all;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            Task[] serving;
            lock (_serving) serving = _serving.ToArray();
            try { Task.WaitAll(serving, TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
            try { _accepting.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        }
    }
}
