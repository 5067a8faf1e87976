using System;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// A clock that can schedule a static callback with its state (the simulated one): no closure and no delegate per
    /// timer. Code that sets timers very often (a deadline re-armed per handshake) schedules through
    /// <see cref="StateClockScheduling.Schedule"/>, which falls back to IClock.Schedule with a closure.
    /// </summary>
    /// <remarks>As IClock.Schedule: runs <c>action(state)</c> once after the delay; disposing the result cancels it.</remarks>
    interface IStateClock
    {
        IDisposable Schedule(TimeSpan delay, Action<object> action, object state);
    }

    static class StateClockScheduling
    {
        /// <summary>Runs <paramref name="action"/>(<paramref name="state"/>) once after <paramref name="delay"/>; dispose to cancel.</summary>
        public static IDisposable Schedule(this IClock clock, TimeSpan delay, Action<object> action, object state)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            return clock is IStateClock byState ? byState.Schedule(delay, action, state) : WithClosure(clock, delay, action, state);
        }

        // Apart, so that the closure is made only here: a method's closure is made where its scope begins.
        static IDisposable WithClosure(IClock clock, TimeSpan delay, Action<object> action, object state) => clock.Schedule(delay, () => action(state));
    }
}
