using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Distillation;

public class DistillationTests
{
    static double[] Softmax(double[] z, double t)
    {
        var e = z.Select(v => Math.Exp(v / t)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    /// <summary>The loss worked in plain doubles: alpha T^2 KL(p_t || p_s) + (1 - alpha) CE, averaged over two rows.</summary>
    [Theory]
    [InlineData(0.5, 3.0, true)]
    [InlineData(0.5, 3.0, false)]
    [InlineData(0.9, 1.0, true)]
    [InlineData(0.0, 2.0, true)]
    public void MatchesHandComputation(double alpha, double t, bool squared)
    {
        double[][] student = [[1.0, 2.0, 0.0], [0.5, -1.0, 2.0]];
        double[][] teacher = [[0.0, 1.0, 0.0], [3.0, 0.0, 1.0]];
        long[] y = [1, 0];
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            var ps = Softmax(student[i], t);
            var pt = Softmax(teacher[i], t);
            double kl = Enumerable.Range(0, 3).Sum(c => pt[c] * Math.Log(pt[c] / ps[c]));
            double ce = -Math.Log(Softmax(student[i], 1)[y[i]]);
            expected += (alpha * kl * (squared ? t * t : 1) + (1 - alpha) * ce) / 2;
        }
        using var s = TestSupport.Tensor2D(student);
        using var te = TestSupport.Tensor2D(teacher);
        using var targets = tensor(y);
        using var loss = DistillationLoss.Compute(s, te, targets, new DistillationOptions { Alpha = alpha, Temperature = t, UseTemperatureSquared = squared });
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void TeacherLogProbabilitiesGiveTheSameLossAsItsLogits()
    {
        using var s = TestSupport.Tensor2D([[1.0, 2.0, 0.0]]);
        using var te = TestSupport.Tensor2D([[0.0, 1.0, 0.0]]);
        using var logProbs = nn.functional.log_softmax(te, 1);
        using var y = tensor(new long[] { 2 });
        var o = new DistillationOptions();
        using var a = DistillationLoss.Compute(s, te, y, o);
        using var b = DistillationLoss.Compute(s, logProbs, y, o);
        Assert.Equal(a.item<double>(), b.item<double>(), 12);
    }

    [Fact]
    public void BadOptionsAndShapesAreRejected()
    {
        using var s = TestSupport.Tensor2D([[1.0, 2.0, 0.0]]);
        using var te = TestSupport.Tensor2D([[0.0, 1.0]]);
        using var y = tensor(new long[] { 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLoss.Compute(s, s, y, new DistillationOptions { Alpha = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLoss.Compute(s, s, y, new DistillationOptions { Temperature = 0 }));
        var e = Assert.Throws<ArgumentException>(() => DistillationLoss.Compute(s, te, y, new DistillationOptions()));
        Assert.Contains("[1, 2]", e.Message);
    }

    /// <summary>Wraps a model and counts forward calls, to show the teacher runs once, not every epoch.</summary>
    sealed class CountingTeacher(Mlp inner) : nn.Module<Tensor, Tensor>("CountingTeacher")
    {
        public int Calls;
        public long Rows;
        public override Tensor forward(Tensor input)
        {
            Calls++;
            Rows += input.shape[0];
            return inner.forward(input);
        }
    }

    [Fact]
    public void TeacherOutputsAreComputedOnceAndStudentLearns()
    {
        manual_seed(1);
        var inputs = randn(300, 8);
        using var w = randn(8, 3);
        var targets = inputs.matmul(w).argmax(1);
        using var data = new TensorDataset(inputs, targets, 3, "toy");
        var teacherNet = new Mlp([(8, 16), (16, 3)]);
        var quiet = new TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 0.05, Progress = ProgressSinks.None };
        new Trainer(quiet).Fit(teacherNet, data);
        var teacher = new CountingTeacher(teacherNet);
        var student = new Mlp([(8, 16), (16, 3)]);
        var history = KnowledgeDistillation.Train(student, teacher, data, quiet with { Epochs = 5 });
        Assert.Equal(1, teacher.Calls);
        Assert.Equal(300, teacher.Rows);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the distillation loss should fall");
    }
}
