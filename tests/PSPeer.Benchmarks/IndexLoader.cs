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
        public static Process Start(string server, int peers, int perPeer, string model)
        {
            // Started through the apphost, the process is the benchmark itself; through `dotnet x.dll`, pass the dll.
            string process = Environment.ProcessPath;
            bool viaDotnet = System.IO.Path.GetFileNameWithoutExtension(process) == "dotnet";
            string dll = typeof(IndexLoader).Assembly.Location;
            var psi = new ProcessStartInfo(process, $"{(viaDotnet ? "\"" + dll + "\" " : "")}loader {server} {peers} {perPeer} {model}")
            { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            return Process.Start(psi);
        }

        public static async Task<int> RunAsync(string[] args)
        {
            var server = HostPort.Parse(args[1]);
            int peers = int.Parse(args[2]), perPeer = int.Parse(args[3]);
            SyntheticLibrary.Configure(args[4]);
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
