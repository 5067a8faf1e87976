using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Installed while the simulation runs, so every <c>await</c> in protocol code resumes on the simulation's loop,
    /// queued at the current virtual time behind work already due: continuations run in a deterministic order.
    /// </summary>
    public sealed class SimulationSynchronizationContext : SynchronizationContext
    {
        readonly SimulationScheduler _scheduler;

        internal SimulationSynchronizationContext(SimulationScheduler scheduler) => _scheduler = scheduler;

        public override void Post(SendOrPostCallback d, object state) => _scheduler.Enqueue(_scheduler.Now, d, state);

        /// <summary>
        /// Runs inline: on the loop's thread that is what Send means; from another thread it is only safe while the
        /// simulation is idle, which is the one way the simulation may be touched from outside.
        /// </summary>
        public override void Send(SendOrPostCallback d, object state) => d(state);

        public override SynchronizationContext CreateCopy() => this;
    }
}
