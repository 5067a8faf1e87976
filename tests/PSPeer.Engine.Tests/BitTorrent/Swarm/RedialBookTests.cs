using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    public class RedialBookTests
    {
        static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static readonly HostPort A = new HostPort("10.0.0.1", 6881);

        [Fact]
        public void Failures_back_off_from_5_seconds_doubling_to_2_minutes()
        {
            var book = new RedialBook();
            book.Learn(A);
            Assert.Empty(book.TakeDue(T0.AddDays(1)));   // learnt only: the first dial is the caller's
            var now = T0;
            var waits = new[] { 5, 10, 20, 40, 80, 120, 120 }.Select(s => TimeSpan.FromSeconds(s));
            foreach (var wait in waits)
            {
                book.Failed(A, now);
                Assert.Empty(book.TakeDue(now + wait - TimeSpan.FromMilliseconds(1)));
                Assert.Equal(new[] { A }, book.TakeDue(now + wait));
                Assert.Empty(book.TakeDue(now + wait));   // taken: not due again until it fails again
                now += wait;
            }
        }

        [Fact]
        public void A_long_connection_resets_the_backoff_and_a_short_one_does_not()
        {
            var book = new RedialBook();
            book.Learn(A);
            book.Failed(A, T0);
            book.TakeDue(T0.AddSeconds(5));
            book.Dropped(A, T0, TimeSpan.FromSeconds(1));
            Assert.Empty(book.TakeDue(T0.AddSeconds(9)));
            Assert.Single(book.TakeDue(T0.AddSeconds(10)));
            book.Dropped(A, T0, TimeSpan.FromMinutes(5));
            Assert.Single(book.TakeDue(T0.AddSeconds(5)));
        }

        [Fact]
        public void A_banned_address_is_forgotten_and_never_learnt_again()
        {
            var book = new RedialBook();
            book.Learn(A);
            book.Failed(A, T0);
            book.Ban(A);
            book.Learn(A);
            book.Failed(A, T0);
            Assert.Empty(book.TakeDue(T0.AddHours(1)));
            Assert.Equal(0, book.Count);
        }
    }
}
