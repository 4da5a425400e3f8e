using EnsembleKit.Training;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Keeps pruned weights frozen at exactly zero while a <see cref="Trainer"/> tunes a child (seed 002 ch. 5: "set to zero
/// and frozen"). Before each optimiser step it zeroes the removed weights' gradients (so SGD momentum buffers and Adam
/// moments stay zero there, and weight decay has nothing to decay since the weights are zero); after the step it
/// re-applies <c>W ← W ∘ M</c>, which also covers optimisers that change weights without a gradient. Apply the mask
/// before training (<see cref="SubnetworkMask.ApplyTo"/>); the enforcer does not own the mask.
/// </summary>
public sealed class MaskEnforcer(SubnetworkMask mask) : ITrainingCallback
{
    public SubnetworkMask Mask { get; } = mask;

    public void OnBeforeStep(TrainingContext context) => Mask.MaskGradients(context.Model);

    public void OnStepEnd(TrainingContext context) => Mask.ApplyTo(context.Model);

    public void OnEpochEnd(TrainingContext context) { }
}
