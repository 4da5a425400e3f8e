namespace EnsembleKit.Cli.Members;

/// <summary>What <see cref="MemberStore.Train"/> did.</summary>
/// <param name="Trained">False when the member was already complete under the same recipe, and nothing was done.</param>
/// <param name="Manifest">The member's manifest.</param>
/// <param name="ResumedFromEpoch">Epochs its checkpoint held when training started (0 = from scratch).</param>
public sealed record MemberTrainOutcome(bool Trained, MemberManifest Manifest, int ResumedFromEpoch);
