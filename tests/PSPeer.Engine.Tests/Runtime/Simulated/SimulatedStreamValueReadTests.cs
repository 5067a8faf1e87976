// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// A simulated end's waiting read is a ValueTask whose source is the stream itself: one read at a time, a close or a
    /// reset fails it, the reader resumes inside the arrival (no scheduler event of its own), and a wait that reads
    /// nothing lets a quiet reader hold no buffer.
    /// </summary>
    public class SimulatedStreamValueReadTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);


        static IValueReadStream Direct(IConnection connection) => Assert.IsAssignableFrom<IValueReadStream>(connection.Stream);

        [Fact]
        public void A_waiting_read_completes_with_the_bytes_that_arrive_and_the_reader_resumes_inside_the_arrival()
        {
            var (sim, _, _, client, server) = Pair();
            var buffer = new byte[64];
            long resumedAt = -1, executedWhenResumed = -1;
            var reading = sim.Spawn(async () =>
            {
                int n = await Direct(server).ReadValueAsync(buffer, 0, buffer.Length);
                resumedAt = sim.Elapsed.Ticks;
                executedWhenResumed = sim.ExecutedWorkItems;
                return n;
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.False(reading.IsCompleted);
            long before = sim.ExecutedWorkItems, writtenAt = sim.Elapsed.Ticks;
            sim.Post(() => client.Stream.Write(Pattern(20), 0, 20));
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(20, reading.Result);
            Assert.Equal(Pattern(20), System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Take(buffer, 20)));
            // The post that wrote, then the segment's arrival, in which the reader ran: nothing was queued for it.
            Assert.Equal(before + 2, executedWhenResumed);
            Assert.Equal(writtenAt + TimeSpan.FromMilliseconds(10).Ticks, resumedAt);
        }

        [Fact]
        public void Only_one_read_may_wait_at_a_time()
        {
            var (sim, _, _, _, server) = Pair();
            var error = sim.Run(async () =>
            {
                var first = Direct(server).ReadValueAsync(new byte[8], 0, 8);
                Assert.False(first.IsCompleted);
                try { await Direct(server).ReadValueAsync(new byte[8], 0, 8); return null; }
                catch (InvalidOperationException e) { return e; }
                finally { server.Dispose(); try { await first; } catch (IOException) { } }
            }, Limit);
            Assert.NotNull(error);
        }

        [Fact]
        public void Closing_the_end_fails_its_waiting_read_with_an_IOException()
        {
            var (sim, _, _, _, server) = Pair();
            var reading = sim.Spawn(async () => await Direct(server).ReadValueAsync(new byte[8], 0, 8));
            sim.RunFor(TimeSpan.FromSeconds(1));
            sim.Post(server.Dispose);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(reading.IsFaulted);
            Assert.IsType<IOException>(reading.Exception.InnerException);
        }

        [Fact]
        public void A_reset_fails_the_waiting_read_and_every_read_after_it()
        {
            var (sim, a, b, client, server) = Pair();
            var reading = sim.Spawn(async () => await Direct(server).ReadValueAsync(new byte[8], 0, 8));
            sim.RunFor(TimeSpan.FromSeconds(1));
            // A crash resets the crashed host's ends, and the other end hears the reset when it next sends there.
            sim.Post(() => b.Crash());
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(reading.IsFaulted);
            Assert.IsType<IOException>(reading.Exception.InnerException);
            var again = sim.Run(async () =>
            {
                try { await Direct(server).ReadValueAsync(new byte[8], 0, 8); return null; }
                catch (Exception e) { return e; }
            }, Limit);
            Assert.True(again is IOException || again is ObjectDisposedException, again?.GetType().Name);
        }

        [Fact]
        public void A_token_cancels_the_waiting_read_and_the_next_read_gets_the_data()
        {
            var (sim, _, _, client, server) = Pair();
            var cancel = new CancellationTokenSource();
            var reading = sim.Spawn(async () => await Direct(server).ReadValueAsync(new byte[8], 0, 8, cancel.Token));
            sim.RunFor(TimeSpan.FromSeconds(1));
            sim.Post(cancel.Cancel);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(reading.IsCanceled);
            sim.Post(() => client.Stream.Write(Pattern(5), 0, 5));
            var got = sim.Run(() => ReadExactlyAsync(server.Stream, 5), Limit);
            Assert.Equal(Pattern(5), got);
        }

        [Fact]
        public void A_value_read_cannot_be_awaited_twice()
        {
            var (sim, _, _, client, server) = Pair();
            var error = sim.Run(async () =>
            {
                var read = Direct(server).ReadValueAsync(new byte[8], 0, 8);
                client.Stream.Write(Pattern(3), 0, 3);
                Assert.Equal(3, await read);
                try { await read; return null; }
                catch (InvalidOperationException e) { return e; }
            }, Limit);
            Assert.NotNull(error);
        }

        [Fact]
        public void The_task_read_still_completes_fails_and_cancels_as_before()
        {
            var (sim, _, _, client, server) = Pair();
            var cancel = new CancellationTokenSource();
            var cancelled = sim.Spawn(async () => await server.Stream.ReadAsync(new byte[8], 0, 8, cancel.Token));
            sim.RunFor(TimeSpan.FromSeconds(1));
            sim.Post(cancel.Cancel);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(cancelled.IsCanceled);
            var read = sim.Spawn(async () => await server.Stream.ReadAsync(new byte[8], 0, 8));
            sim.Post(() => client.Stream.Write(Pattern(4), 0, 4));
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(4, read.Result);
            var failed = sim.Spawn(async () => await server.Stream.ReadAsync(new byte[8], 0, 8));
            sim.Post(server.Dispose);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.IsType<IOException>(failed.Exception.InnerException);
        }

        [Fact]
        public void A_wait_reads_nothing_and_calls_back_inside_the_arrival_once_bytes_or_the_end_are_there()
        {
            var (sim, _, _, client, server) = Pair();
            var stream = Direct(server);
            int calls = 0;
            long executedAtCall = -1;
            Action<object> onReady = state => { calls++; executedAtCall = sim.ExecutedWorkItems; Assert.Same(server, state); };
            Assert.True(sim.Run(() => Task.FromResult(stream.WaitToRead(onReady, server)), Limit));
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(0, calls);
            long before = sim.ExecutedWorkItems;
            sim.Post(() => client.Stream.Write(Pattern(30), 0, 30));
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, calls);
            Assert.Equal(before + 2, executedAtCall);   // the write's post, then the arrival it ran in
            // Nothing was consumed: no wait is needed now, and a read gets every byte.
            Assert.False(sim.Run(() => Task.FromResult(stream.WaitToRead(onReady, server)), Limit));
            Assert.Equal(Pattern(30), sim.Run(() => ReadExactlyAsync(server.Stream, 30), Limit));
            Assert.True(sim.Run(() => Task.FromResult(stream.WaitToRead(onReady, server)), Limit));
            // Only one wait or read at a time.
            Assert.Throws<InvalidOperationException>(() => sim.Run(() => Task.FromResult(stream.WaitToRead(onReady, server)), Limit));
            sim.Post(client.Dispose);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2, calls);
            Assert.Equal(0, sim.Run(() => server.Stream.ReadAsync(new byte[8], 0, 8), Limit));
            Assert.False(sim.Run(() => Task.FromResult(stream.WaitToRead(onReady, server)), Limit));
        }

        [Fact]
        public void A_close_or_a_reset_calls_the_waiter_back_and_the_next_read_reports_it()
        {
            var (sim, _, b, _, server) = Pair();
            int calls = 0;
            Assert.True(sim.Run(() => Task.FromResult(Direct(server).WaitToRead(_ => calls++, null)), Limit));
            sim.Post(() => b.Crash());
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, calls);
            var error = sim.Run(async () =>
            {
                try { await Direct(server).ReadValueAsync(new byte[8], 0, 8); return null; }
                catch (Exception e) { return e; }
            }, Limit);
            Assert.IsType<IOException>(error);

            var (sim2, _, _, _, server2) = Pair();
            int calls2 = 0;
            Assert.True(sim2.Run(() => Task.FromResult(Direct(server2).WaitToRead(_ => calls2++, null)), Limit));
            sim2.Post(server2.Dispose);
            sim2.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, calls2);
        }

        [Fact]
        public void A_read_completed_from_outside_the_loop_resumes_on_the_loop()
        {
            var (sim, _, _, client, server) = Pair();
            int? loopThread = null;
            var reading = sim.Spawn(async () =>
            {
                int n = await Direct(server).ReadValueAsync(new byte[8], 0, 8);
                loopThread = Thread.CurrentThread.ManagedThreadId;
                return n;
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            // The simulation is idle: closing from this thread completes the read, but its reader waits for the loop.
            server.Dispose();
            Assert.False(reading.IsCompleted);
            Assert.Null(loopThread);
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(reading.IsFaulted);
        }
    }
}
