// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>
    /// What a node that shares and serves nothing holds (most nodes of a simulated network): a shared folder without a
    /// catalog or lock, an HTTP server without a stop source or lock. Each part appears when first needed and then
    /// works as before.
    /// </summary>
    public class IdleServingPartsTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        static T Run<T>(Simulation sim, Func<Task<T>> work)
        {
            var task = sim.Spawn(work);
            Assert.True(sim.RunUntilCompleted(task, Limit));
            return task.GetAwaiter().GetResult();
        }

        [Fact]
        public void A_folder_sharing_nothing_answers_every_question_without_a_catalog_and_the_first_file_makes_one()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            host.MemoryStorage.WriteFile("/elsewhere/a.txt", "alpha");
            host.MemoryStorage.WriteFile("/elsewhere/b.txt", "beta");
            var folder = new SharedFolder(host, null);

            Assert.Empty(Run(sim, () => folder.ScanAsync()));
            Assert.Empty(folder.Files);
            Assert.Null(folder.GetByIndex(0));
            Assert.Null(folder.GetByHash(ContentHash.Compute(Encoding.UTF8.GetBytes("alpha"))));
            Assert.False(folder.Remove(new SharedFile(0, "a.txt", "/elsewhere/a.txt", 5, ContentHash.Compute(Encoding.UTF8.GetBytes("alpha")), DateTime.UtcNow)));
            Assert.False(folder.HoldsCatalog);

            var added = Run(sim, () => folder.AddAsync(new[] { "/elsewhere/a.txt" }));
            Assert.True(folder.HoldsCatalog);
            var a = Assert.Single(added);
            Assert.Equal(0, a.Index);
            Assert.Same(a, folder.GetByIndex(0));
            Assert.Same(a, folder.GetByHash(a.ContentHash));
            Assert.True(folder.Remove(a));
            Assert.Empty(folder.Files);

            // Indexes stay stable: the next file gets the next one, not the freed one.
            var b = Assert.Single(Run(sim, () => folder.AddAsync(new[] { "/elsewhere/b.txt" })));
            Assert.Equal(1, b.Index);
            Assert.Equal(new[] { b }, folder.Files);
        }

        [Fact]
        public void A_server_that_never_served_holds_no_stop_source_and_one_stopped_before_serving_closes_what_it_is_handed()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var server = new HttpFileServer(a, new SharedFolder(a, null), null);
            Assert.False(server.HoldsStopSourceOrLock);
            Assert.Equal(PSPeer.Engine.Runtime.Admission.ConnectionLimits.For(PSPeer.Engine.Runtime.Admission.ServerKind.HttpFileServer).MaxUploads, server.Limits.MaxUploads);   // the defaults, made when read

            Run(sim, async () => { await server.StopAsync(); return true; });
            var closed = Run(sim, async () =>
            {
                var listener = await b.Transport.ListenAsync(80);
                var accepting = listener.AcceptAsync();
                var outgoing = await a.Transport.ConnectAsync(b.HostAddress, 80);
                var incoming = await accepting;
                await server.ServeAsync(outgoing, null);
                // The server closed the connection at once: the other end reads its end.
                return await incoming.Stream.ReadAsync(new byte[16], 0, 16);
            });
            Assert.Equal(0, closed);
            Assert.Equal(0, server.ConnectionCount);
        }
    }
}
