using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Child process of the index benchmark: logs in <c>peers</c> Napster peers, shares <c>perPeer</c> files from each
    /// over the wire, and keeps every connection open (files leave the index with their peer) until stdin closes.
    /// </summary>
    static class IndexLoader
    {
        public static Process Start(string server, int peers, int perPeer)
        {
            string self = Environment.GetCommandLineArgs()[0];
            bool viaDotnet = self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
            var psi = new ProcessStartInfo(viaDotnet ? Environment.ProcessPath : self,
                $"{(viaDotnet ? "\"" + self + "\" " : "")}loader {server} {peers} {perPeer}")
            { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            return Process.Start(psi);
        }

        public static async Task<int> RunAsync(string[] args)
        {
            var server = HostPort.Parse(args[1]);
            int peers = int.Parse(args[2]), perPeer = int.Parse(args[3]);
            var sockets = new List<Socket>(peers);
            var writer = new NapsterFrameWriter(256 * 1024);
            for (int p = 0; p < peers; p++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(server.Host, server.Port);
                writer.Clear();
                writer.WriteFrame(NapsterMessageType.Login, new NapsterLogin($"peer{p}", "x", 6699, "PSPeer.Benchmarks", 10).Format());
                for (int i = 0; i < perPeer; i++)
                    NapsterShare.Write(writer, SyntheticLibrary.Name(p, i), SyntheticLibrary.Hash(p, i), SyntheticLibrary.Size(p, i), i);
                int sent = 0;
                while (sent < writer.Length) sent += socket.Send(writer.Buffer, sent, writer.Length - sent, SocketFlags.None);
                sockets.Add(socket);
            }
            // Hold the peers logged in until the benchmark is done with them.
            await Console.In.ReadToEndAsync();
            foreach (var s in sockets) s.Dispose();
            return 0;
        }
    }
}
