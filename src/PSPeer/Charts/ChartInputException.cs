using System;

namespace PSPeer.Charts
{
    /// <summary>The inputs cannot make this chart (nothing measured yet, no leecher finished): an error id and what to do.</summary>
    internal sealed class ChartInputException : Exception
    {
        public ChartInputException(string errorId, string message, string recommendedAction) : base(message)
        {
            ErrorId = errorId;
            RecommendedAction = recommendedAction;
        }

        public string ErrorId { get; }
        public string RecommendedAction { get; }
    }
}
