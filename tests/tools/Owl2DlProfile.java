// Loads an ontology with the OWL API (the library under Protege and ROBOT) and prints its OWL 2 DL and EL
// profile violations, one per line as "<profile>\t<violation>", then "axioms\t<count>". Run with Java 11+:
//   java -cp '/usr/share/java/*' tests/tools/Owl2DlProfile.java output/bcto.owl
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWL2ELProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class Owl2DlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntology ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(new File(args[0]));
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            System.out.println("DL\t" + v.toString().replace('\n', ' '));
        }
        for (OWLProfileViolation v : new OWL2ELProfile().checkOntology(ontology).getViolations()) {
            System.out.println("EL\t" + v.toString().replace('\n', ' '));
        }
        System.out.println("axioms\t" + ontology.getAxiomCount());
    }
}
