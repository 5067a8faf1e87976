using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Tests.Support
{
    /// <summary>
    /// A bounded hostile client on loopback: raw TCP connections from a chosen 127.x.y.z source address, so a node's
    /// per-address limits see it as a host of its own. Honest clients in the same tests come from other addresses.
    /// </summary>
    sealed class LoopbackAttacker : IDisposable
    {
        static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);
        readonly List<Socket> _sockets = new List<Socket>();

        public IReadOnlyList<Socket> Sockets => _sockets;

        /// <summary>Opens <paramref name="count"/> connections from <paramref name="source"/> (each may be refused and closed by the server at once).</summary>
        public async Task OpenAsync(string source, string target, int count, byte[] firstBytes = null)
        {
            var ep = HostPort.Parse(target);
            for (int i = 0; i < count; i++)
            {
                var s = Bind(source);
                _sockets.Add(s);
                try
                {
                    await s.ConnectAsync(IPAddress.Parse(ep.Host), ep.Port).WaitAsync(ConnectLimit);
                    if (firstBytes != null) s.Send(firstBytes);
                }
                catch (Exception e) when (e is SocketException || e is TimeoutException) { /* refused or backlog full: counts as not held */ }
            }
        }

        /// <summary>A connected socket from <paramref name="source"/>; the caller owns it.</summary>
        public static async Task<Socket> ConnectAsync(string source, string target)
        {
            var ep = HostPort.Parse(target);
            var s = Bind(source);
            await s.ConnectAsync(IPAddress.Parse(ep.Host), ep.Port).WaitAsync(ConnectLimit);
            return s;
        }

        static Socket Bind(string source)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            s.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            return s;
        }

        /// <summary>How many of the connections the server still holds open (not closed, not reset).</summary>
        public int CountHeld()
        {
            int held = 0;
            foreach (var s in _sockets) if (IsHeld(s)) held++;
            return held;
        }

        /// <summary>Whether the server still holds <paramref name="s"/>: connected, and neither closed nor reset by it.</summary>
        public static bool IsHeld(Socket s)
        {
            try
            {
                if (!s.Connected) return false;
                if (!s.Poll(0, SelectMode.SelectRead)) return true;
                if (s.Available == 0) return false;   // readable with nothing to read: the server closed it
                var sink = new byte[s.Available];
                s.Receive(sink);                       // a 503 or other bytes: read them; still held if not closed after
                return !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { return false; }
        }

        /// <summary>
        /// Sends <paramref name="bytes"/> one byte per <paramref name="interval"/> until the server closes the connection;
        /// returns how many bytes it took, or -1 when <paramref name="limit"/> passed first.
        /// </summary>
        public static async Task<int> TrickleUntilCutAsync(Socket s, byte[] bytes, TimeSpan interval, TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            int sent = 0;
            while (DateTime.UtcNow < until)
            {
                try
                {
                    s.Send(bytes, sent % bytes.Length, 1, SocketFlags.None);
                    sent++;
                }
                catch (SocketException) { return sent; }
                await Task.Delay(interval);
                if (!IsHeld(s)) return sent;
            }
            return -1;
        }

        public void Dispose()
        {
            foreach (var s in _sockets) s.Dispose();
            _sockets.Clear();
        }
    }
}
