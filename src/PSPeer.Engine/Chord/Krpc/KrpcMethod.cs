namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>The method names on the wire (the "q" of a query).</summary>
    public static class KrpcMethod
    {
        public const string Ping = "ping";
        public const string GetPredecessor = "get_predecessor";
        public const string GetSuccessors = "get_successors";
        public const string Notify = "notify";
        public const string ClosestPreceding = "closest_preceding";
        public const string FindSuccessor = "find_successor";
        public const string StoreValue = "store_value";
        public const string GetValues = "get_values";
        public const string Transfer = "transfer";

        public static readonly string[] All = { Ping, GetPredecessor, GetSuccessors, Notify, ClosestPreceding, FindSuccessor, StoreValue, GetValues, Transfer };
    }
}
